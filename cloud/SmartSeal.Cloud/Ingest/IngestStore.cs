using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// The ingest's tables for the modules above it (owner of <c>device_messages</c> and
/// <c>refused_messages</c>): stored messages read back by device and seq, refusals recorded. Every
/// call runs on the caller's connection, in its transaction when it has one.
/// </summary>
public static class IngestStore
{
    /// <summary>Seqs per lookup statement (SQL lists stay short: binding costs the square of the parameters).</summary>
    private const int SeqsPerStatement = 100;

    /// <summary>The stored bodies (JSON text) of a device's messages by seq; seqs never stored are left out.</summary>
    public static async Task<IReadOnlyDictionary<long, string>> MessageBodiesAsync(DbConnection connection, DbTransaction? transaction, string deviceId, IReadOnlyList<long> seqs)
    {
        var bodies = new Dictionary<long, string>(seqs.Count);
        foreach (long[] chunk in seqs.Distinct().Chunk(SeqsPerStatement))
        {
            var parameters = new DynamicParameters(new { deviceId });
            string list = SqlList.In(parameters, "s", chunk);
            foreach ((long seq, string body) in await connection.QueryAsync<(long, string)>(
                $"SELECT seq, body FROM device_messages WHERE device_id = @deviceId AND seq IN {list}", parameters, transaction))
            {
                bodies[seq] = body;
            }
        }

        return bodies;
    }

    /// <summary>Records a refused message (evidence: topic, sender, reason and size, never the payload).</summary>
    public static Task RecordRefusalAsync(DbConnection connection, DbTransaction? transaction, string? deviceId, string topic, string? reason, string? detail, long bytes, long nowMs) =>
        connection.ExecuteAsync(
            "INSERT INTO refused_messages (device_id, topic, reason, detail, bytes, server_ms) VALUES (@deviceId, @topic, @reason, @detail, @bytes, @nowMs)",
            new { deviceId, topic, reason, detail, bytes, nowMs },
            transaction);
}
