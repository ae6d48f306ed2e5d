using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// The checkouts' read API for other modules (owner of <c>checkouts</c> and <c>use_tokens</c>): open checkouts of seals and people, tokens by id.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class CheckoutDirectory(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;
}
