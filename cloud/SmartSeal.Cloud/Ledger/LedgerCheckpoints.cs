using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>A chain head as a checkpoint states it.</summary>
public sealed record ChainHead(string Seal, long Seq, string Hash);

/// <summary>
/// A signed statement of every chain head at a moment, with the RFC 3161 token of the cloud's
/// time-stamping authority over <see cref="Root"/> (base64 DER; null on checkpoints made before
/// timestamps). Its JSON is also the file in the witness and of <c>ledger checkpoint --out</c>.
/// </summary>
public sealed record LedgerCheckpoint(long Id, long AtMs, string Heads, string Root, string KeyId, string Signature, string? TimeStamp)
{
    public const string Columns = "id AS Id, at_ms AS AtMs, heads AS Heads, root AS Root, key_id AS KeyId, signature AS Signature, timestamp_token AS TimeStamp";

    public IReadOnlyList<ChainHead> ParsedHeads() => JsonSerializer.Deserialize<List<ChainHead>>(Heads, LedgerCheckpoints.Json) ?? [];

    /// <summary>
    /// Null when the heads hash to the root, the root carries this cloud's ledger signature and the
    /// timestamp (if any) is the time-stamping authority's over that root; else what is wrong.
    /// </summary>
    public string? Problem(string ledgerPublicKeyPem, string timeStampCertificatePem)
    {
        if (LedgerCheckpoints.Root(Heads) != Root || !LedgerSigner.Verify(ledgerPublicKeyPem, Encoding.UTF8.GetBytes(Root), Signature))
        {
            return "is not signed by this cloud's ledger key or was altered";
        }

        return TimeStamp is null || TimeStampTime(timeStampCertificatePem) is not null ? null : "has a timestamp that is not the time-stamping authority's over its root";
    }

    /// <summary>The time the authority's token states, or null when the token does not verify against its certificate.</summary>
    public DateTimeOffset? TimeStampTime(string timeStampCertificatePem)
    {
        byte[] token;
        try
        {
            token = Convert.FromBase64String(TimeStamp ?? string.Empty);
        }
        catch (FormatException)
        {
            return null;
        }

        return LedgerTimeStampAuthority.Verify(token, Convert.FromHexString(Root), timeStampCertificatePem);
    }
}

/// <summary>
/// Creates signed checkpoints over all chain heads (on demand and periodically), each timestamped
/// by the cloud's time-stamping authority and handed to the witness outside the database.
/// </summary>
public sealed class LedgerCheckpoints(Database database, LedgerSigner signer, LedgerTimeStampAuthority authority, LedgerWitnessing witness, TimeProvider time, ILogger<LedgerCheckpoints> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Signs the current heads; returns null when nothing changed since the last checkpoint.</summary>
    public async Task<LedgerCheckpoint?> CreateAsync(bool evenIfUnchanged = false, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var heads = (await connection.QueryAsync<ChainHead>("SELECT seal_id AS Seal, seq AS Seq, hash AS Hash FROM ledger_heads WHERE seq > 0"))
            .OrderBy(h => h.Seal, StringComparer.Ordinal)
            .ToList();
        string headsJson = JsonSerializer.Serialize(heads, Json);
        string root = Root(headsJson);
        string? lastRoot = await connection.QuerySingleOrDefaultAsync<string>("SELECT root FROM ledger_checkpoints ORDER BY id DESC LIMIT 1");
        if (!evenIfUnchanged && lastRoot == root)
        {
            return null;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string signature = signer.Sign(Encoding.UTF8.GetBytes(root));
        string timeStamp = Convert.ToBase64String(authority.Stamp(Convert.FromHexString(root)));
        long id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ledger_checkpoints (at_ms, heads, root, key_id, signature, timestamp_token) VALUES (@now, @headsJson, @root, @KeyId, @signature, @timeStamp) RETURNING id",
            new { now, headsJson, root, signer.KeyId, signature, timeStamp });
        logger.LogInformation("Ledger checkpoint {Id} over {Chains} chains, root {Root}", id, heads.Count, root);
        var checkpoint = new LedgerCheckpoint(id, now, headsJson, root, signer.KeyId, signature, timeStamp);
        await witness.ExportAsync(checkpoint, cancellationToken);
        return checkpoint;
    }

    public async Task<IReadOnlyList<LedgerCheckpoint>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LedgerCheckpoint>($"SELECT {LedgerCheckpoint.Columns} FROM ledger_checkpoints ORDER BY id")).ToList();
    }

    /// <summary>
    /// The first checkpoint that signed the seal's chain at or past entry <paramref name="seq"/> (the one an
    /// entry "falls under"), with what is wrong with it (null: its root, signature and timestamp verify);
    /// null while no checkpoint has been made since the entry.
    /// </summary>
    /// <param name="recordedMs">When the entry was recorded: no earlier checkpoint can cover it (and later ones cover it once the first does).</param>
    public async Task<(LedgerCheckpoint Checkpoint, string? Problem)?> CoveringAsync(string sealId, long seq, long recordedMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        string pattern = "%" + JsonSerializer.Serialize(new { seal = sealId }, Json).Trim('{', '}') + "%"; // wildcards in the id only widen; the parse below decides
        foreach (LedgerCheckpoint checkpoint in await connection.QueryAsync<LedgerCheckpoint>(
            $"SELECT {LedgerCheckpoint.Columns} FROM ledger_checkpoints WHERE at_ms >= @recordedMs AND heads LIKE @pattern ORDER BY id LIMIT 10", new { recordedMs, pattern }))
        {
            if (checkpoint.ParsedHeads().Any(h => h.Seal == sealId && h.Seq >= seq))
            {
                return (checkpoint, checkpoint.Problem(signer.PublicKeyPem, authority.CertificatePem));
            }
        }

        return null;
    }

    public static string Root(string headsJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(headsJson)));
}

/// <summary>
/// Makes a checkpoint every <c>SmartSeal:Ledger:CheckpointMinutes</c> (default 60) when the ledger
/// grew, and hands the witness any checkpoint it missed (the witness was unreachable before).
/// </summary>
public sealed class LedgerCheckpointService(LedgerCheckpoints checkpoints, LedgerWitnessing witness, Microsoft.Extensions.Options.IOptions<LedgerOptions> options, ILogger<LedgerCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMinutes(Math.Max(1, options.Value.CheckpointMinutes));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await checkpoints.CreateAsync(cancellationToken: stoppingToken);
                await witness.ExportMissingAsync(await checkpoints.ListAsync(stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is DbException or IOException)
            {
                logger.LogWarning(e, "Ledger checkpoint or its export to the witness failed; will retry at the next period");
            }
        }
    }
}
