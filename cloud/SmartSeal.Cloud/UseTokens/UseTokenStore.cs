using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.UseTokens;

/// <summary>The <c>use_tokens</c> table: what was issued to which device, what it was used for, what was revoked.</summary>
public static class UseTokenStore
{
    private const string Columns = """
        jti AS Jti, application_id AS ApplicationId, seal_id AS SealId, device_id AS DeviceId, mode AS Mode, compartment AS Compartment,
        uses AS Uses, used AS Used, refusals AS Refusals, last_use_seq AS LastUseSeq, not_before_ms AS NotBeforeMs, expires_ms AS ExpiresMs,
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

    /// <summary>Counts one use; returns the uses so far and the highest seq of a use (lower than <paramref name="seq"/>'s: reported out of order).</summary>
    public static async Task<(long Used, long LastUseSeq)> RecordUseAsync(string jti, long seq, DbConnection connection, DbTransaction? transaction)
    {
        UseCount count = await connection.QuerySingleAsync<UseCount>(
            """
            UPDATE use_tokens SET used = used + 1, last_use_seq = CASE WHEN last_use_seq IS NULL OR last_use_seq < @seq THEN @seq ELSE last_use_seq END
            WHERE jti = @jti RETURNING used AS Used, last_use_seq AS LastUseSeq
            """,
            new { jti, seq }, transaction);
        return (count.Used, count.LastUseSeq);
    }

    /// <summary>The token, looked up once per ingest batch (its counts change during the batch: use <see cref="RecordUseAsync"/>'s answer for those).</summary>
    public static Task<IssuedToken?> FindInBatchAsync(string? jti, Ingest.IngestBatch batch) =>
        jti == null ? Task.FromResult<IssuedToken?>(null) : batch.MemoAsync("token:" + jti, () => FindAsync(jti, batch.Connection!, batch.Transaction));

    public static Task RecordRefusalAsync(string jti, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync("UPDATE use_tokens SET refusals = refusals + 1 WHERE jti = @jti", new { jti }, transaction);

    private sealed class UseCount
    {
        public long Used { get; set; }

        public long LastUseSeq { get; set; }
    }
}
