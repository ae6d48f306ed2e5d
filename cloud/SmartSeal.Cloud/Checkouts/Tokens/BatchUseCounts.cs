using System.Globalization;
using System.Text;
using Dapper;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// The uses and refusals one ingest batch counts on its tokens. Reconciliation needs each use's
/// running count and order in turn; keeping them here and writing every token back in one
/// statement costs two round trips a batch instead of one per stamp. The token rows were read
/// (and on PostgreSQL locked) by <see cref="UseTokenStore.FindInBatchAsync"/> in this transaction.
/// </summary>
public sealed class BatchUseCounts
{
    private readonly Dictionary<string, Counts> _tokens = new(StringComparer.Ordinal);

    /// <summary>The batch's counter (one per batch).</summary>
    public static BatchUseCounts Of(IngestBatch batch) => batch.Shared("use-counts", () => new BatchUseCounts());

    /// <summary>
    /// Counts one use the device made as <paramref name="seq"/> at its time <paramref name="atMs"/>.
    /// Returns the uses so far and, when the device's seq and time orders disagree with the token's
    /// latest use (a lower seq made later, or a higher seq made earlier), that use's seq — whatever
    /// order the uses arrive in (instances share a device's messages; resends come late).
    /// </summary>
    public (long Used, long? ContradictsSeq) RecordUse(IssuedToken token, long seq, long atMs)
    {
        Counts counts = For(token);
        counts.Uses++;
        long? contradicts = null;
        if (counts.HighestSeq is { } latestSeq && counts.HighestSeqMs is { } latestMs && seq != latestSeq
            && (seq < latestSeq ? atMs > latestMs : atMs < latestMs))
        {
            contradicts = latestSeq;
        }

        if (counts.HighestSeq is null || seq > counts.HighestSeq)
        {
            counts.HighestSeq = seq;
            counts.HighestSeqMs = atMs;
        }

        return (token.Used + counts.Uses, contradicts);
    }

    public void RecordRefusal(IssuedToken token) => For(token).Refusals++;

    /// <summary>Writes the batch's counts to <c>use_tokens</c>, as increments (right even for a row this transaction did not lock).</summary>
    public async Task SaveAsync(IngestBatch batch)
    {
        foreach (KeyValuePair<string, Counts>[] chunk in _tokens.Where(t => t.Value.Uses > 0 || t.Value.Refusals > 0).Chunk(batch.Dialect.RowsPerInsert(4)))
        {
            var parameters = new DynamicParameters();
            var used = new StringBuilder("used = used + CASE jti");
            var refusals = new StringBuilder("refusals = refusals + CASE jti");
            var highest = new StringBuilder("last_use_seq = CASE jti");
            var highestMs = new StringBuilder("last_use_ms = CASE jti");
            for (int i = 0; i < chunk.Length; i++)
            {
                (string jti, Counts counts) = chunk[i];
                string n = i.ToString(CultureInfo.InvariantCulture);
                parameters.Add("j" + n, jti);
                parameters.Add("u" + n, counts.Uses);
                parameters.Add("r" + n, counts.Refusals);
                used.Append($" WHEN @j{n} THEN @u{n}");
                refusals.Append($" WHEN @j{n} THEN @r{n}");
                if (counts.Uses > 0)
                {
                    parameters.Add("s" + n, counts.HighestSeq);
                    parameters.Add("t" + n, counts.HighestSeqMs);
                    highest.Append($" WHEN @j{n} THEN CASE WHEN last_use_seq IS NULL OR last_use_seq < @s{n} THEN @s{n} ELSE last_use_seq END");
                    highestMs.Append($" WHEN @j{n} THEN CASE WHEN last_use_seq IS NULL OR last_use_seq < @s{n} THEN @t{n} ELSE last_use_ms END"); // SET sees the old last_use_seq
                }
            }

            string[] jtis = chunk.Select(t => t.Key).ToArray();
            string highestSet = chunk.Any(t => t.Value.Uses > 0) ? $", {highest} ELSE last_use_seq END, {highestMs} ELSE last_use_ms END" : string.Empty; // a CASE needs a WHEN
            string sql = $"UPDATE use_tokens SET {used} ELSE 0 END, {refusals} ELSE 0 END{highestSet} WHERE jti IN {Storage.SqlList.In(parameters, "k", jtis)}";
            await batch.Connection!.ExecuteAsync(sql, parameters, batch.Transaction);
        }

        _tokens.Clear();
    }

    private Counts For(IssuedToken token)
    {
        if (!_tokens.TryGetValue(token.Jti, out Counts? counts))
        {
            counts = new Counts { HighestSeq = token.LastUseSeq, HighestSeqMs = token.LastUseMs };
            _tokens[token.Jti] = counts;
        }

        return counts;
    }

    private sealed class Counts
    {
        public long Uses { get; set; }

        public long Refusals { get; set; }

        public long? HighestSeq { get; set; }

        public long? HighestSeqMs { get; set; }
    }
}
