using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Appends to the use ledger. Each seal has its own chain; an append takes the chain head with
/// an UPDATE first (row lock on PostgreSQL, the write lock on SQLite), so concurrent appenders —
/// threads or cloud instances — queue instead of forking the chain. Entries with a
/// <see cref="LedgerEntry.Source"/> are appended once (redelivered device events, retried requests).
/// Nothing here updates or deletes an entry.
/// </summary>
public sealed class LedgerService(Database database, TimeProvider time)
{
    private const string ClaimHead = "UPDATE ledger_heads SET seq = seq + 1 WHERE seal_id = @SealId RETURNING seq, hash";

    /// <summary>Appends in its own transaction.</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        IReadOnlyList<StoredLedgerEntry> stored = await AppendAsync(entries, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>Appends inside the caller's transaction (ingest batches): the entries commit with the records they come from.</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntry> entries, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        long recorded = time.GetUtcNow().ToUnixTimeMilliseconds();
        HashSet<string> known = await ExistingSourcesAsync(entries, connection, transaction);
        var fresh = new List<LedgerEntry>(entries.Count);
        foreach (LedgerEntry entry in entries)
        {
            if (entry.Source is null || known.Add(entry.Source))
            {
                fresh.Add(entry); // Add is false for a source already stored or repeated in this call
            }
        }

        var stored = new List<StoredLedgerEntry>(fresh.Count);

        // One head claim per seal per call: the UPDATE takes the chain's lock and reserves n positions.
        foreach (IGrouping<string, LedgerEntry> chain in fresh.GroupBy(e => e.SealId, StringComparer.Ordinal))
        {
            List<LedgerEntry> items = chain.ToList();
            await connection.ExecuteAsync(
                "INSERT INTO ledger_heads (seal_id, seq, hash) VALUES (@SealId, 0, @Genesis) ON CONFLICT (seal_id) DO NOTHING",
                new { SealId = chain.Key, LedgerCanon.Genesis },
                transaction);
            (long last, string prev) = await connection.QuerySingleAsync<(long, string)>(
                "UPDATE ledger_heads SET seq = seq + @n WHERE seal_id = @SealId RETURNING seq, hash", new { n = items.Count, SealId = chain.Key }, transaction);
            long seq = last - items.Count;
            foreach (LedgerEntry entry in items)
            {
                seq++;
                string payload = LedgerCanon.Payload(entry.SealId, seq, entry.Kind, entry.AtMs, recorded, entry.DeviceId, entry.Actor, entry.ApplicationId, entry.TokenId, entry.Source, entry.Fields);
                string hash = LedgerCanon.Hash(prev, payload);
                long id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO ledger_entries (seal_id, seq, kind, at_ms, recorded_ms, device_id, actor, application_id, token_id, source, payload, prev_hash, hash)
                    VALUES (@SealId, @seq, @Kind, @AtMs, @recorded, @DeviceId, @Actor, @ApplicationId, @TokenId, @Source, @payload, @prev, @hash)
                    RETURNING id
                    """,
                    new { entry.SealId, seq, entry.Kind, entry.AtMs, recorded, entry.DeviceId, entry.Actor, entry.ApplicationId, entry.TokenId, entry.Source, payload, prev, hash },
                    transaction);
                stored.Add(new StoredLedgerEntry(id, entry.SealId, seq, entry.Kind, entry.AtMs, recorded, entry.DeviceId, entry.Actor, entry.ApplicationId, entry.TokenId, entry.Source, payload, prev, hash));
                prev = hash;
            }

            await connection.ExecuteAsync("UPDATE ledger_heads SET hash = @prev WHERE seal_id = @SealId", new { prev, SealId = chain.Key }, transaction);
        }

        return stored;
    }

    /// <summary>Sources already in the ledger (redelivered events, retried requests), so they are not appended twice.</summary>
    private static async Task<HashSet<string>> ExistingSourcesAsync(IReadOnlyList<LedgerEntry> entries, DbConnection connection, DbTransaction transaction)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (string[] chunk in entries.Where(e => e.Source != null).Select(e => e.Source!).Distinct().Chunk(500))
        {
            var parameters = new DynamicParameters();
            var names = new List<string>(chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
            {
                parameters.Add("s" + i, chunk[i]);
                names.Add("@s" + i);
            }

            existing.UnionWith(await connection.QueryAsync<string>($"SELECT source FROM ledger_entries WHERE source IN ({string.Join(",", names)})", parameters, transaction));
        }

        return existing;
    }
}
