using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Appends to the use ledger. Each seal has its own chain; an append claims the heads of the
/// chains it extends first (row locks in seal order on PostgreSQL, the write lock on SQLite), so
/// concurrent appenders — threads or cloud instances — queue instead of forking a chain. Entries with a
/// <see cref="LedgerEntry.Source"/> are appended once (redelivered device events, retried requests).
/// Nothing here updates or deletes an entry.
/// </summary>
public sealed class LedgerService(Database database, TimeProvider time)
{
    /// <summary>Appends in its own transaction.</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        IReadOnlyList<StoredLedgerEntry> stored = await AppendAsync(entries, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Appends inside the caller's transaction (ingest batches): the entries commit with the records
    /// they come from. <paramref name="sourcesAreNew"/>: the caller knows no source is in the ledger
    /// yet — each names a device record inserted in this very transaction, which its unique
    /// (device, seq) let in only once — so the look-up of stored sources is skipped; the ledger's
    /// unique index on source would still refuse a second one (the transaction fails, nothing is acked).
    /// </summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntry> entries, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default, bool sourcesAreNew = false)
    {
        long recorded = time.GetUtcNow().ToUnixTimeMilliseconds();
        HashSet<string> known = sourcesAreNew ? new HashSet<string>(StringComparer.Ordinal) : await ExistingSourcesAsync(entries, connection, transaction);
        var fresh = new List<LedgerEntry>(entries.Count);
        foreach (LedgerEntry entry in entries)
        {
            if (entry.Source is null || known.Add(entry.Source))
            {
                fresh.Add(entry); // Add is false for a source already stored or repeated in this call
            }
        }

        if (fresh.Count == 0)
        {
            return [];
        }

        // Every chain this call touches, claimed at once and in seal order: a few statements per
        // call however many entries and seals (ingest batches carry hundreds of stamps).
        Dictionary<string, ChainHead> heads = await ClaimHeadsAsync(fresh.Select(e => e.SealId), connection, transaction);
        var stored = new List<StoredLedgerEntry>(fresh.Count);
        foreach (LedgerEntry entry in fresh)
        {
            ChainHead head = heads[entry.SealId];
            long seq = head.Seq + 1;
            (string payload, string hash) = LedgerCanon.PayloadAndHash(head.Hash, entry.SealId, seq, entry.Kind, entry.AtMs, recorded, entry.DeviceId, entry.Actor, entry.ApplicationId, entry.TokenId, entry.Source, entry.Fields);
            stored.Add(new StoredLedgerEntry(0, entry.SealId, seq, entry.Kind, entry.AtMs, recorded, entry.DeviceId, entry.Actor, entry.ApplicationId, entry.TokenId, entry.Source, payload, head.Hash, hash));
            head.Seq = seq;
            head.Hash = hash;
        }

        var ids = new Dictionary<(string, long), long>();
        if (database.Dialect.PrefersPreparedRows)
        {
            await InsertPreparedAsync(stored, ids, connection, transaction, cancellationToken);
        }
        else
        {
            foreach (StoredLedgerEntry[] chunk in stored.Chunk(database.Dialect.RowsPerInsert(InsertedColumns.Length)))
            {
                await InsertAsync(chunk, ids, connection, transaction);
            }
        }

        await SaveHeadsAsync(heads.Values, connection, transaction, cancellationToken);
        return stored.Select(e => e with { Id = ids[(e.SealId, e.Seq)] }).ToList();
    }

    /// <summary>
    /// Creates missing chain heads, then reads (and on PostgreSQL locks) every head in seal order,
    /// so concurrent appenders — threads or cloud instances — queue on shared chains instead of
    /// forking them or deadlocking. On SQLite the INSERT has already taken the database's write lock.
    /// </summary>
    private async Task<Dictionary<string, ChainHead>> ClaimHeadsAsync(IEnumerable<string> sealIds, DbConnection connection, DbTransaction transaction)
    {
        string[] seals = sealIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var heads = new Dictionary<string, ChainHead>(StringComparer.Ordinal);
        foreach (string[] chunk in seals.Chunk(100))
        {
            var parameters = new DynamicParameters();
            parameters.Add("genesis", LedgerCanon.Genesis);
            string list = SqlList.In(parameters, "s", chunk); // @s0..: also the new heads' ids below
            string values = string.Join(",", chunk.Select((_, i) => $"(@s{i}, 0, @genesis)"));
            await connection.ExecuteAsync($"INSERT INTO ledger_heads (seal_id, seq, hash) VALUES {values} ON CONFLICT (seal_id) DO NOTHING", parameters, transaction);
            foreach (ChainHead head in await connection.QueryAsync<ChainHead>(
                $"SELECT seal_id AS SealId, seq AS Seq, hash AS Hash FROM ledger_heads WHERE seal_id IN {list} ORDER BY seal_id{database.Dialect.ForUpdate}", parameters, transaction))
            {
                heads[head.SealId] = head;
            }
        }

        return heads;
    }

    /// <summary>The columns a ledger entry is inserted with and where each value comes from (one list, so the column names and the VALUES cannot drift apart).</summary>
    private static readonly (string Column, Func<StoredLedgerEntry, object?> Value)[] InsertedColumns =
    [
        ("seal_id", e => e.SealId),
        ("seq", e => e.Seq),
        ("kind", e => e.Kind),
        ("at_ms", e => e.AtMs),
        ("recorded_ms", e => e.RecordedMs),
        ("device_id", e => e.DeviceId),
        ("actor", e => e.Actor),
        ("application_id", e => e.ApplicationId),
        ("token_id", e => e.TokenId),
        ("source", e => e.Source),
        ("payload", e => e.Payload),
        ("prev_hash", e => e.PrevHash),
        ("hash", e => e.Hash),
    ];

    private static readonly string PreparedInsertSql =
        $"INSERT INTO ledger_entries ({string.Join(", ", InsertedColumns.Select(c => c.Column))}) VALUES ({string.Join(",", InsertedColumns.Select(c => "@" + c.Column))}) RETURNING id";

    /// <summary>One prepared single-row INSERT run per entry (SQLite: see <see cref="PreparedRowStatement"/>).</summary>
    private static async Task InsertPreparedAsync(List<StoredLedgerEntry> entries, Dictionary<(string, long), long> ids, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var insert = new PreparedRowStatement(connection, transaction, PreparedInsertSql, InsertedColumns.Select(c => c.Column).ToArray());
        foreach (StoredLedgerEntry entry in entries)
        {
            for (int c = 0; c < InsertedColumns.Length; c++)
            {
                insert.Set(c, InsertedColumns[c].Value(entry));
            }

            ids[(entry.SealId, entry.Seq)] = Convert.ToInt64(await insert.RunAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task InsertAsync(StoredLedgerEntry[] chunk, Dictionary<(string, long), long> ids, DbConnection connection, DbTransaction transaction)
    {
        var parameters = new DynamicParameters();
        var values = new string[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
        {
            string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            values[i] = "(" + string.Join(",", InsertedColumns.Select(c => "@" + c.Column + n)) + ")";
            foreach ((string column, Func<StoredLedgerEntry, object?> value) in InsertedColumns)
            {
                parameters.Add(column + n, value(chunk[i]));
            }
        }

        string sql = $"""
            INSERT INTO ledger_entries ({string.Join(", ", InsertedColumns.Select(c => c.Column))})
            VALUES {string.Join(",", values)} RETURNING id AS Id, seal_id AS SealId, seq AS Seq
            """;
        foreach (InsertedEntry row in await connection.QueryAsync<InsertedEntry>(sql, parameters, transaction))
        {
            ids[(row.SealId, row.Seq)] = row.Id;
        }
    }

    private async Task SaveHeadsAsync(IEnumerable<ChainHead> heads, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (database.Dialect.PrefersPreparedRows)
        {
            await using var update = new PreparedRowStatement(connection, transaction, "UPDATE ledger_heads SET seq = @q, hash = @h WHERE seal_id = @k", ["q", "h", "k"]);
            foreach (ChainHead head in heads)
            {
                update.Set(0, head.Seq);
                update.Set(1, head.Hash);
                update.Set(2, head.SealId);
                await update.RunAsync(cancellationToken);
            }

            return;
        }

        foreach (ChainHead[] chunk in heads.Chunk(database.Dialect.RowsPerInsert(4)))
        {
            var parameters = new DynamicParameters();
            var seq = new System.Text.StringBuilder("seq = CASE seal_id");
            var hash = new System.Text.StringBuilder("hash = CASE seal_id");
            for (int i = 0; i < chunk.Length; i++)
            {
                string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameters.Add("q" + n, chunk[i].Seq);
                parameters.Add("h" + n, chunk[i].Hash);
                seq.Append($" WHEN @k{n} THEN @q{n}");
                hash.Append($" WHEN @k{n} THEN @h{n}");
            }

            string list = SqlList.In(parameters, "k", chunk.Select(h => h.SealId).ToArray());
            await connection.ExecuteAsync($"UPDATE ledger_heads SET {seq} ELSE seq END, {hash} ELSE hash END WHERE seal_id IN {list}", parameters, transaction);
        }
    }

    private sealed class ChainHead
    {
        public string SealId { get; set; } = "";

        public long Seq { get; set; }

        public string Hash { get; set; } = "";
    }

    private sealed class InsertedEntry
    {
        public long Id { get; set; }

        public string SealId { get; set; } = "";

        public long Seq { get; set; }
    }

    /// <summary>Sources already in the ledger (redelivered events, retried requests), so they are not appended twice.</summary>
    private static async Task<HashSet<string>> ExistingSourcesAsync(IReadOnlyList<LedgerEntry> entries, DbConnection connection, DbTransaction transaction)
    {
        string[] sources = entries.Where(e => e.Source != null).Select(e => e.Source!).Distinct().ToArray();
        return new HashSet<string>(
            await SqlList.QueryInChunksAsync<string>(connection, "SELECT source FROM ledger_entries WHERE source IN {values}", sources, transaction: transaction),
            StringComparer.Ordinal);
    }
}
