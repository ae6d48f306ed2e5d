using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SmartSeal.CloudBench;

/// <summary>
/// The reference for the ingest numbers: how fast the same database takes rows of the shape the
/// cloud stores per event (device, seq, type, topic, times, a ~200-byte body) in transactions of
/// the ingest's batch size, with nothing else around — no MQTT, no MAC, no ledger.
/// </summary>
public static class RawInsertReference
{
    public static async Task<double> MeasureAsync(string database, string folder, string? postgres, int rows = 200_000, int batch = 100)
    {
        await using DbConnection connection = database == "postgres"
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection($"Data Source={Path.Combine(folder, "raw-reference.db")}");
        await connection.OpenAsync();
        if (connection is SqliteConnection)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }

        string table = "raw_reference_" + Guid.NewGuid().ToString("n")[..8];
        await connection.ExecuteAsync($"CREATE TABLE {table} (device_id TEXT NOT NULL, seq BIGINT NOT NULL, type TEXT NOT NULL, topic TEXT NOT NULL, device_ms BIGINT NOT NULL, server_ms BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))");
        string body = new('x', 200);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < rows; start += batch)
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync();
            var sql = new StringBuilder($"INSERT INTO {table} (device_id, seq, type, topic, device_ms, server_ms, body) VALUES ");
            var parameters = new DynamicParameters();
            for (int i = 0; i < batch; i++)
            {
                sql.Append(i == 0 ? string.Empty : ",").Append($"(@d{i}, @s{i}, 'stamped', 'smartseal/v1/x/evt', @t{i}, @t{i}, @b)");
                parameters.Add("d" + i, "bench-" + ((start + i) % 1000).ToString("00000"));
                parameters.Add("s" + i, (long)(start + i));
                parameters.Add("t" + i, 1_800_000_000_000L + start + i);
            }

            parameters.Add("b", body);
            await connection.ExecuteAsync(sql.ToString(), parameters, transaction);
            await transaction.CommitAsync();
        }

        double perSecond = rows / clock.Elapsed.TotalSeconds;
        await connection.ExecuteAsync($"DROP TABLE {table}");
        return perSecond;
    }
}
