using System.Data.Common;
using Dapper;
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

    /// <summary>The finished checkouts (returned or cancelled) of <paramref name="sealIds"/>: which applications' outings are over, and when each came back.</summary>
    public async Task<IReadOnlyList<ClosedCheckout>> ClosedOfSealsAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<ClosedCheckout>(connection,
            "SELECT application_id AS ApplicationId, seal_id AS SealId, returned_ms AS ReturnedMs FROM checkouts WHERE status IN ('returned', 'cancelled') AND seal_id IN {values}", sealIds,
            cancellationToken: cancellationToken);
    }

    /// <summary>Who holds a seal they took out of cabinet <paramref name="cabinetId"/> and has not brought back.</summary>
    public async Task<IReadOnlyList<string>> HoldersOutOfCabinetAsync(string cabinetId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT holder FROM checkouts WHERE mode = 'cabinet' AND status = 'out' AND device_id = @cabinetId", new { cabinetId })).AsList();
    }

    /// <summary>
    /// The newest unrevoked, unexpired lock token of <paramref name="deviceId"/> (a lock holds one at
    /// a time), or null when it has none.
    /// </summary>
    public async Task<LockToken?> LiveLockTokenAsync(string deviceId, long nowMs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LockToken>(
            """
            SELECT jti AS Jti, application_id AS ApplicationId FROM use_tokens
            WHERE device_id = @deviceId AND mode = 'lock' AND revoked_ms IS NULL AND expires_ms > @nowMs
            ORDER BY issued_ms DESC LIMIT 1
            """,
            new { deviceId, nowMs });
    }

    /// <summary>The open checkouts (status out) of <paramref name="sealIds"/>: holder, when it went out, when it is due back.</summary>
    public async Task<IReadOnlyList<OpenCheckout>> OpenOfSealsAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<OpenCheckout>(connection,
            "SELECT application_id AS ApplicationId, seal_id AS SealId, holder AS Holder, due_ms AS DueMs, out_ms AS OutMs FROM checkouts WHERE status = 'out' AND seal_id IN {values}", sealIds,
            cancellationToken: cancellationToken);
    }
}

/// <summary>A checkout that is over: returned (<see cref="ReturnedMs"/> set) or cancelled.</summary>
public sealed record ClosedCheckout(string ApplicationId, string SealId, long? ReturnedMs);
