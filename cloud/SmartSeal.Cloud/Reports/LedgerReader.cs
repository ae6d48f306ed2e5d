using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Reads the ledger within a caller's <see cref="LedgerReadScope"/>: search pages (newest first,
/// keyset on the entry id) and full streams in chain-independent recording order for exports.
/// </summary>
public sealed class LedgerReader(Database database)
{
    private static readonly string Columns = string.Join(", ", LedgerQueries.Columns.Split(',').Select(c => "e." + c.Trim()));

    /// <summary>One page, newest first: entries with an id below <paramref name="beforeId"/> (none: from the newest).</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> SearchAsync(LedgerReadScope scope, LedgerFilter filter, long? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await PageAsync(connection, scope, filter, beforeId, ascendingAfter: null, Math.Clamp(limit, 1, 1000));
    }

    /// <summary>Every matching entry, oldest first, read in pages so memory stays flat however long the ledger.</summary>
    public async IAsyncEnumerable<StoredLedgerEntry> StreamAsync(LedgerReadScope scope, LedgerFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int page = 1000;
        long after = 0;
        while (true)
        {
            IReadOnlyList<StoredLedgerEntry> entries;
            await using (DbConnection connection = await database.OpenAsync(cancellationToken))
            {
                entries = await PageAsync(connection, scope, filter, beforeId: null, ascendingAfter: after, page);
            }

            foreach (StoredLedgerEntry entry in entries)
            {
                yield return entry;
            }

            if (entries.Count < page)
            {
                yield break;
            }

            after = entries[^1].Id;
        }
    }

    /// <summary>Whether the caller may read the chain <paramref name="sealId"/> (a seal, or <c>org:{unit}</c>).</summary>
    public async Task<bool> CanReadChainAsync(LedgerReadScope scope, string sealId, CancellationToken cancellationToken = default)
    {
        if (scope.Everything)
        {
            return true;
        }

        var parameters = new DynamicParameters(new { sealId });
        (string join, string where) = scope.Sql(parameters);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM (SELECT @sealId AS seal_id) e {join} WHERE {where}", parameters) > 0;
    }

    private static async Task<IReadOnlyList<StoredLedgerEntry>> PageAsync(DbConnection connection, LedgerReadScope scope, LedgerFilter filter, long? beforeId, long? ascendingAfter, int limit)
    {
        var parameters = new DynamicParameters(new
        {
            filter.SealId, filter.UnitId, filter.Person, filter.DeviceId, filter.ApplicationId, filter.Kind,
            FromMs = filter.FromMs ?? 0, ToMs = filter.ToMs ?? long.MaxValue, beforeId, after = ascendingAfter, limit,
        });
        (string join, string where) = scope.Sql(parameters);
        string order = ascendingAfter is null ? "e.id DESC" : "e.id";
        return (await connection.QueryAsync<StoredLedgerEntry>(
            $"""
            SELECT {Columns} FROM ledger_entries e
            {join}
            LEFT JOIN applications a ON a.id = e.application_id
            WHERE {where}
              AND (@SealId IS NULL OR e.seal_id = @SealId)
              AND (@UnitId IS NULL OR {UnitSubtree.OfUnit("u", "@UnitId")})
              AND (@Person IS NULL OR e.actor = @Person OR a.applicant = @Person)
              AND (@DeviceId IS NULL OR e.device_id = @DeviceId)
              AND (@ApplicationId IS NULL OR e.application_id = @ApplicationId)
              AND (@Kind IS NULL OR e.kind = @Kind)
              AND e.at_ms >= @FromMs AND e.at_ms <= @ToMs
              AND (@beforeId IS NULL OR e.id < @beforeId)
              AND (@after IS NULL OR e.id > @after)
            ORDER BY {order} LIMIT @limit
            """,
            parameters)).ToList();
    }
}
