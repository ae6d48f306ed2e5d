using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SmartSeal.CloudBench;

/// <summary>
/// The cloud as its own process (<c>smartseal-cloud.dll</c> next to this program, Production
/// settings from the environment), so the load generator's sockets and CPU are not the cloud's.
/// </summary>
public sealed class CloudServer : IDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";
    public static readonly byte[] MasterKey = Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();

    private readonly ChildProcess _process;
    private readonly string _countConnection;
    private readonly bool _postgres;

    private CloudServer(ChildProcess process, int httpPort, int mqttPort, string countConnection, bool postgres)
    {
        _process = process;
        _countConnection = countConnection;
        _postgres = postgres;
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public int MqttPort { get; }

    public HttpClient Http { get; }

    public long WorkingSet => _process.WorkingSet;

    public TimeSpan CpuTime => _process.CpuTime;

    public string LogPath => _process.LogPath;

    /// <summary>
    /// Starts the cloud; <paramref name="mosquitto"/> set means external-broker mode against it.
    /// <paramref name="joining"/> set starts another instance on that instance's PostgreSQL database
    /// (scale-out: the instances split the device traffic through Mosquitto's shared subscription).
    /// </summary>
    public static async Task<CloudServer> StartAsync(string folder, BenchOptions options, MosquittoServer? mosquitto, CloudServer? joining = null)
    {
        int httpPort = MosquittoServer.FreePort();
        int mqttPort = mosquitto?.Port ?? MosquittoServer.FreePort();
        string instance = joining == null ? "cloud" : "cloud-" + Guid.NewGuid().ToString("n")[..6];
        string dataDirectory = Path.Combine(folder, instance + "-data");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["SmartSeal__MasterKey"] = Convert.ToHexString(MasterKey),
            ["SmartSeal__AdminApiKey"] = AdminKey,
            ["SmartSeal__DataDirectory"] = dataDirectory,
            ["SmartSeal__Ledger__TimeStampKeyPath"] = Path.Combine(dataDirectory, "ledger-tsa.pem"), // Production requires it configured; generated there on first start
            ["SmartSeal__Mqtt__Port"] = mqttPort.ToString(),
            ["SmartSeal__Mqtt__MaxMessagesPerSecondPerDevice"] = "100000",
            // Every simulated device connects from loopback: one address, so no per-address connection limit.
            ["SmartSeal__Mqtt__Limits__ConnectionBurstPerAddress"] = "1000000",
            ["SmartSeal__Mqtt__Limits__ConnectionsPerSecondPerAddress"] = "1000000",
            ["SmartSeal__Mqtt__Limits__MaxPendingConnections"] = "20000",
        };
        if (mosquitto != null)
        {
            environment["SmartSeal__Mqtt__Mode"] = "External";
            environment["SmartSeal__Mqtt__InstanceId"] = joining == null ? MosquittoServer.CloudUser : $"{MosquittoServer.CloudUser}-{instance}";
            environment["SmartSeal__Mqtt__Username"] = MosquittoServer.CloudUser;
            environment["SmartSeal__Mqtt__Password"] = MosquittoServer.CloudPassword;
        }

        string countConnection;
        bool postgres = options.Database == "postgres";
        if (postgres && joining != null)
        {
            countConnection = joining._countConnection;
            environment["SmartSeal__Database__Provider"] = "Postgres";
            environment["SmartSeal__Database__ConnectionString"] = countConnection;
        }
        else if (postgres)
        {
            string name = "smartseal_bench_" + Guid.NewGuid().ToString("n")[..12];
            await using (var admin = new NpgsqlConnection(options.Postgres))
            {
                await admin.ExecuteAsync($"CREATE DATABASE {name}");
            }

            countConnection = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = name }.ConnectionString;
            environment["SmartSeal__Database__Provider"] = "Postgres";
            environment["SmartSeal__Database__ConnectionString"] = countConnection;
        }
        else
        {
            countConnection = $"Data Source={Path.Combine(dataDirectory, "smartseal.db")};Mode=ReadOnly";
        }

        string dll = Path.Combine(AppContext.BaseDirectory, "smartseal-cloud.dll");
        var process = new ChildProcess("dotnet", [dll], environment, Path.Combine(folder, instance + ".log"));
        var cloud = new CloudServer(process, httpPort, mqttPort, countConnection, postgres);
        for (int i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                if ((await cloud.Http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return cloud;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        cloud.Dispose();
        throw new InvalidOperationException("the cloud did not become ready; see " + process.LogPath);
    }

    /// <summary>Registers devices through the API (the key is derived here from the same master key).</summary>
    public async Task ProvisionAsync(IReadOnlyList<string> ids, int parallel = 16)
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (id, ct) =>
        {
            HttpResponseMessage response = await Http.PostAsJsonAsync("/api/devices", new { deviceId = id, kind = "lock" }, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"provisioning {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
    }

    /// <summary>Rows in device_messages: what is persisted, counted in the database itself.</summary>
    public async Task<long> CountStoredAsync()
    {
        await using DbConnection connection = _postgres ? new NpgsqlConnection(_countConnection) : new SqliteConnection(_countConnection);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages");
    }

    /// <summary>Stamp entries in the use ledger (each bench event, once, on its seal's chain).</summary>
    public async Task<long> CountLedgerStampsAsync()
    {
        await using DbConnection connection = _postgres ? new NpgsqlConnection(_countConnection) : new SqliteConnection(_countConnection);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'stamp'");
    }

    /// <summary>Device messages this instance took through its ingest pipeline (its Prometheus counter <c>smartseal_ingest_received</c>).</summary>
    public async Task<long> IngestedAsync()
    {
        string metrics = await Http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith("smartseal_ingest_received", StringComparison.Ordinal))
            .Sum(line =>
            {
                string rest = line[(line.Contains('}') ? line.IndexOf('}') + 1 : line.IndexOf(' '))..].Trim(); // name{labels} value [timestamp]
                return (long)double.Parse(rest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            });
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
    }
}
