using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>A chain head as a checkpoint states it.</summary>
public sealed record ChainHead(string Seal, long Seq, string Hash);

public sealed record LedgerCheckpoint(long Id, long AtMs, string Heads, string Root, string KeyId, string Signature)
{
    public IReadOnlyList<ChainHead> ParsedHeads() => JsonSerializer.Deserialize<List<ChainHead>>(Heads, LedgerCheckpoints.Json) ?? [];
}

/// <summary>Creates signed checkpoints over all chain heads (on demand and periodically).</summary>
public sealed class LedgerCheckpoints(Database database, LedgerSigner signer, TimeProvider time, ILogger<LedgerCheckpoints> logger)
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
        long id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ledger_checkpoints (at_ms, heads, root, key_id, signature) VALUES (@now, @headsJson, @root, @KeyId, @signature) RETURNING id",
            new { now, headsJson, root, signer.KeyId, signature });
        logger.LogInformation("Ledger checkpoint {Id} over {Chains} chains, root {Root}", id, heads.Count, root);
        return new LedgerCheckpoint(id, now, headsJson, root, signer.KeyId, signature);
    }

    public async Task<IReadOnlyList<LedgerCheckpoint>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LedgerCheckpoint>(
            "SELECT id AS Id, at_ms AS AtMs, heads AS Heads, root AS Root, key_id AS KeyId, signature AS Signature FROM ledger_checkpoints ORDER BY id")).ToList();
    }

    public static string Root(string headsJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(headsJson)));
}

/// <summary>Makes a checkpoint every <c>SmartSeal:Ledger:CheckpointMinutes</c> (default 60) when the ledger grew.</summary>
public sealed class LedgerCheckpointService(LedgerCheckpoints checkpoints, Microsoft.Extensions.Options.IOptions<Hosting.SmartSealOptions> options, ILogger<LedgerCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMinutes(Math.Max(1, options.Value.Ledger.CheckpointMinutes));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await checkpoints.CreateAsync(cancellationToken: stoppingToken);
            }
            catch (DbException e)
            {
                logger.LogWarning(e, "Ledger checkpoint failed; will retry at the next period");
            }
        }
    }
}
