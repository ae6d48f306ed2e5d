using System.Data.Common;
using Dapper;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>The <c>use_tokens</c> table: what was issued to which device, what it was used for, what was revoked.</summary>
public static class UseTokenStore
{
    private const string Columns = """
        jti AS Jti, application_id AS ApplicationId, seal_id AS SealId, device_id AS DeviceId, mode AS Mode, compartment AS Compartment,
        uses AS Uses, used AS Used, refusals AS Refusals, last_use_seq AS LastUseSeq, last_use_ms AS LastUseMs, not_before_ms AS NotBeforeMs, expires_ms AS ExpiresMs,
        issued_ms AS IssuedMs, issued_by AS IssuedBy, revoked_ms AS RevokedMs, revoked_reason AS RevokedReason
        """;

    public static Task InsertAsync(IssuedToken token, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO use_tokens (jti, application_id, seal_id, device_id, mode, compartment, uses, used, refusals, not_before_ms, expires_ms, issued_ms, issued_by)
            VALUES (@Jti, @ApplicationId, @SealId, @DeviceId, @Mode, @Compartment, @Uses, 0, 0, @NotBeforeMs, @ExpiresMs, @IssuedMs, @IssuedBy)
            """,
            token, transaction);

    public static Task<IssuedToken?> FindAsync(string jti, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<IssuedToken>($"SELECT {Columns} FROM use_tokens WHERE jti = @jti", new { jti }, transaction);

    public static async Task<IReadOnlyList<IssuedToken>> ForApplicationAsync(string applicationId, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<IssuedToken>($"SELECT {Columns} FROM use_tokens WHERE application_id = @applicationId ORDER BY issued_ms", new { applicationId }, transaction)).AsList();

    /// <summary>Revoked tokens of a device that have not expired yet: the revocation list its desired state carries.</summary>
    public static async Task<string[]> RevokedLiveAsync(string deviceId, long nowMs, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>(
            "SELECT jti FROM use_tokens WHERE device_id = @deviceId AND revoked_ms IS NOT NULL AND expires_ms > @nowMs ORDER BY revoked_ms",
            new { deviceId, nowMs }, transaction)).ToArray();

    public static async Task<bool> RevokeAsync(string jti, string reason, long nowMs, DbConnection connection, DbTransaction? transaction) =>
        await connection.ExecuteAsync(
            "UPDATE use_tokens SET revoked_ms = @nowMs, revoked_reason = @reason WHERE jti = @jti AND revoked_ms IS NULL",
            new { jti, reason, nowMs }, transaction) == 1;

    /// <summary>
    /// The token, as the batch's transaction sees it. The first call loads every token the batch's
    /// dispensed, stamped and refused events name in one query, their rows locked in jti order (so
    /// two cloud instances reconciling uses of the same token queue instead of losing a count).
    /// Counts change during the batch: <see cref="BatchUseCounts"/> keeps those.
    /// </summary>
    public static async Task<IssuedToken?> FindInBatchAsync(string? jti, Ingest.IngestBatch batch)
    {
        if (jti == null)
        {
            return null;
        }

        await batch.MemoAsync("tokens:prefetched", () => PrefetchAsync(batch));
        return await batch.MemoAsync("token:" + jti, () => FindAsync(jti, batch.Connection!, batch.Transaction));
    }

    private static async Task<bool> PrefetchAsync(Ingest.IngestBatch batch)
    {
        string[] named = TokenIdsOf(batch);
        Dictionary<string, IssuedToken> found = (await Storage.SqlList.QueryInChunksAsync<IssuedToken>(
            batch.Connection!, $"SELECT {Columns} FROM use_tokens WHERE jti IN {{values}} ORDER BY jti{batch.Dialect.ForUpdate}", named, transaction: batch.Transaction))
            .ToDictionary(token => token.Jti, StringComparer.Ordinal);

        foreach (string jti in named)
        {
            batch.Remember("token:" + jti, found.GetValueOrDefault(jti));
        }

        return true;
    }

    private static string[] TokenIdsOf(Ingest.IngestBatch batch) =>
        batch.Where(Ingest.IngestOutcome.Stored).Select(TokenIdOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The token a device event says it was made under (a dispense, a stamp, a refusal), if any.</summary>
    public static string? TokenIdOf(Ingest.IngestItem item) => item.Body switch
    {
        DispensedBody dispensed => dispensed.TokenId,
        StampedBody stamped => stamped.TokenId,
        RefusedBody refused => refused.TokenId,
        _ => null,
    };
}
