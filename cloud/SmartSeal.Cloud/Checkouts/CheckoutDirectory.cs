using System.Data.Common;
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

    /// <summary>The open checkouts (status out) of <paramref name="sealIds"/>: holder, when it went out, when it is due back.</summary>
    public async Task<IReadOnlyList<OpenCheckout>> OpenOfSealsAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<OpenCheckout>(connection, sealIds,
            list => $"SELECT application_id AS ApplicationId, seal_id AS SealId, holder AS Holder, due_ms AS DueMs, out_ms AS OutMs FROM checkouts WHERE status = 'out' AND seal_id IN {list}",
            cancellationToken: cancellationToken);
    }
}
