using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>Reading the ledger: search by seal, device, person, application and period, newest first, paged.</summary>
public sealed class LedgerQueries(Database database)
{
    public const string Columns = """
        id AS Id, seal_id AS SealId, seq AS Seq, kind AS Kind, at_ms AS AtMs, recorded_ms AS RecordedMs, device_id AS DeviceId, actor AS Actor,
        application_id AS ApplicationId, token_id AS TokenId, source AS Source, payload AS Payload, prev_hash AS PrevHash, hash AS Hash
        """;

    public async Task<IReadOnlyList<StoredLedgerEntry>> SearchAsync(LedgerSearch search, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredLedgerEntry>(
            $"""
            SELECT {Columns} FROM ledger_entries
            WHERE (@SealId IS NULL OR seal_id = @SealId) AND (@DeviceId IS NULL OR device_id = @DeviceId)
              AND (@Actor IS NULL OR actor = @Actor) AND (@ApplicationId IS NULL OR application_id = @ApplicationId)
              AND (@Kind IS NULL OR kind = @Kind) AND at_ms >= @FromMs AND at_ms <= @ToMs
              AND (@BeforeId IS NULL OR id < @BeforeId)
            ORDER BY id DESC LIMIT @Limit
            """,
            new { search.SealId, search.DeviceId, search.Actor, search.ApplicationId, search.Kind, FromMs = search.FromMs ?? 0, ToMs = search.ToMs ?? long.MaxValue, search.BeforeId, Limit = Math.Clamp(search.Limit, 1, 1000) })).ToList();
    }

    /// <summary>A row of <see cref="Columns"/> from a plain reader (the verifier's fast path).</summary>
    public static StoredLedgerEntry Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), Text(r, 6), Text(r, 7), Text(r, 8), Text(r, 9), Text(r, 10),
        r.GetString(11), r.GetString(12), r.GetString(13));

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public async Task<StoredLedgerEntry?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredLedgerEntry>($"SELECT {Columns} FROM ledger_entries WHERE id = @id", new { id });
    }
}

public sealed record LedgerSearch(string? SealId = null, string? DeviceId = null, string? Actor = null, string? ApplicationId = null, string? Kind = null, long? FromMs = null, long? ToMs = null, long? BeforeId = null, int Limit = 100);
