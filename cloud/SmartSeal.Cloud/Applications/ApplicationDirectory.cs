using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// The applications' read API for other modules (owner of <c>applications</c> and the approval tables): applications by id, approved for a seal, in a period.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class ApplicationDirectory(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;
}
