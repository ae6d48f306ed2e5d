using System.Diagnostics;
using SmartSeal.CloudBench;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Protocol.Security;
using Spectre.Console;

// dotnet run --project benchmarks/SmartSeal.CloudBench -c Release -- --devices 1000 --rate 5000 --seconds 30
//     [--broker embedded|mosquitto] [--database sqlite|postgres] [--connections 10000] [--markdown report.md]
// dotnet run --project benchmarks/SmartSeal.CloudBench -c Release -- gate --collections 200   (gate → compartment latency)
// See benchmarks/README.md and cloud/README.md ("Performance") for what each number means.
if (args.Length > 0 && args[0] == "gate")
{
    try
    {
        return await GateBench.RunAsync(args[1..]);
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

const long FixedExpiry = 4_102_444_800;
string folder = Path.Combine(Path.GetTempPath(), "smartseal-cloudbench-" + Guid.NewGuid().ToString("n")[..8]);
Directory.CreateDirectory(folder);
string[] deviceIds = Enumerable.Range(0, options.Devices).Select(i => $"bench-{i:00000}").ToArray();
string[] idleIds = Enumerable.Range(0, options.Connections).Select(i => $"idle-{i:00000}").ToArray();
var rows = new List<(string What, string Value, string Note)>();
void Row(string what, string value, string note = "")
{
    rows.Add((what, value, note));
    AnsiConsole.MarkupLineInterpolated($"[grey]{what}: {value} {note}[/]");
}

AnsiConsole.MarkupLineInterpolated($"[bold]SmartSeal cloud benchmark[/]: {options.Devices} devices, broker {options.Broker}, database {options.Database}, {options.Instances} cloud instance(s), {Environment.ProcessorCount} cores; work folder {folder}");
using MosquittoServer? mosquitto = MosquittoServer.IsInstalled ? await MosquittoServer.StartAsync(Path.Combine(folder, "mosquitto"), deviceIds.Concat(idleIds), CloudServer.MasterKey, FixedExpiry) : null;
if (options.Broker == "mosquitto" && mosquitto is null)
{
    Console.Error.WriteLine("error: --broker mosquitto needs mosquitto (scripts/setup.sh installs it)");
    return 2;
}

using CloudServer cloud = await CloudServer.StartAsync(folder, options, options.Broker == "mosquitto" ? mosquitto : null);
using CloudServer? second = options.Instances > 1 ? await CloudServer.StartAsync(folder, options, mosquitto, joining: cloud) : null;
string host = "127.0.0.1";
string Password(string id)
{
    byte[] key = DeviceKeys.Derive(CloudServer.MasterKey, id, 1);
    return options.Broker == "mosquitto" ? MosquittoAuthFiles.DevicePassword(id, key, FixedExpiry) : BrokerPassword.Create(id, key, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
}

var provisioning = Stopwatch.StartNew();
await cloud.ProvisionAsync(deviceIds.Concat(idleIds).ToArray());
AnsiConsole.MarkupLineInterpolated($"[grey]provisioned {deviceIds.Length + idleIds.Length} devices through the API in {provisioning.Elapsed.TotalSeconds:0.0} s[/]");

var seeding = Stopwatch.StartNew();
IReadOnlyDictionary<string, string> tokens = await BenchOffice.SeedAsync(cloud.Http, deviceIds);
AnsiConsole.MarkupLineInterpolated($"[grey]seeded {deviceIds.Length} seals, approved take-out applications and bound tokens through the API in {seeding.Elapsed.TotalSeconds:0.0} s[/]");

var latencies = new Latencies();
var devices = deviceIds.Select(id => new BenchDevice(id, DeviceKeys.Derive(CloudServer.MasterKey, id, 1), latencies) { TokenId = tokens[id], Positions = options.Events == "position" }).ToList();
await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (d, _) => await d.ConnectAsync(host, cloud.MqttPort, Password(d.Id), subscribeAcks: true));

// Warm-up (JIT, pools, SQLite pages), then the latency phase at a moderate rate.
await Load.RunAsync(devices, 500, TimeSpan.FromSeconds(3));
await Load.WaitForAcksAsync(latencies, Load.Published, TimeSpan.FromSeconds(30));
latencies.Clear();
devices.ForEach(d => d.Timing = true);
await Load.RunAsync(devices, options.LatencyRate, TimeSpan.FromSeconds(options.LatencySeconds));
await Load.WaitForAcksAsync(latencies, Load.Published, TimeSpan.FromSeconds(30));
devices.ForEach(d => d.Timing = false);
Row($"publish → ack latency at {options.LatencyRate}/s (target p95 ≤ 10 ms{(second != null ? ", p99 ≤ 50 ms" : string.Empty)})", $"p50 {latencies.Percentile(50):0.0} ms, p95 {latencies.Percentile(95):0.0} ms, p99 {latencies.Percentile(99):0.0} ms", $"{latencies.Count} events over {options.LatencySeconds} s");

// Throughput: offer --rate for --seconds and count what the database holds, second by second.
CloudServer[] instances = second != null ? [cloud, second] : [cloud];
IngestProfile profileBefore = await IngestProfile.ScrapeAsync(instances);
long before = await cloud.CountStoredAsync();
long publishedBefore = Load.Published;
TimeSpan cpuBefore = cloud.CpuTime + (second?.CpuTime ?? TimeSpan.Zero);
var window = Stopwatch.StartNew();
long peakMemory = 0;
var sampler = new Timer(_ => peakMemory = Math.Max(peakMemory, cloud.WorkingSet + (second?.WorkingSet ?? 0)), null, 0, 500);
Task load = Load.RunAsync(devices, options.Rate, TimeSpan.FromSeconds(options.Seconds));
var perSecond = new List<long>();
long last = before;
while (!load.IsCompleted)
{
    await Task.WhenAny(load, Task.Delay(1000));
    long now = await cloud.CountStoredAsync();
    perSecond.Add(now - last);
    last = now;
}

double windowSeconds = window.Elapsed.TotalSeconds;
long inWindow = last - before;
await Load.SettleAsync(TimeSpan.FromSeconds(30));
long offered = Load.Published - publishedBefore;
var drain = Stopwatch.StartNew();
while (await cloud.CountStoredAsync() < before + offered && drain.Elapsed < TimeSpan.FromSeconds(60))
{
    await Task.Delay(200);
}

long stored = await cloud.CountStoredAsync() - before;
TimeSpan cpu = cloud.CpuTime + (second?.CpuTime ?? TimeSpan.Zero) - cpuBefore;
IngestProfile profileAfter = await IngestProfile.ScrapeAsync(instances);
long ledgered = await cloud.CountLedgerStampsAsync();
double total = window.Elapsed.TotalSeconds;
Row($"events offered (target {options.Rate}/s)", $"{offered / windowSeconds:0} /s", $"{offered} events in {windowSeconds:0.0} s, QoS 1");
Row("events persisted in the window", $"{inWindow / windowSeconds:0} /s", $"median second {Median(perSecond)}, best second {perSecond.DefaultIfEmpty(0).Max()}");
double persistedRate = stored / total;
Row("events persisted incl. drain", $"{persistedRate:0} /s", $"{stored} of {offered} stored after {total:0.0} s; acked {latencies.AckedCount}");
double cpuPerEvent = cpu.TotalMilliseconds * 1000 / Math.Max(1, stored);
Row("cloud CPU per stored event (target ≤ 80 µs)", $"{cpuPerEvent:0} µs", $"user + system time of the cloud process{(second != null ? "es (both instances)" : string.Empty)} over the phase ({cpu.TotalSeconds:0.0} s); {Environment.ProcessorCount} cores give {Environment.ProcessorCount * 1_000_000:N0} µs per second");
Row("cloud allocations per stored event", $"{profileAfter.ProcessBytesPerEvent(profileBefore, stored) / 1024:0.0} KB", "GC.GetTotalAllocatedBytes of the cloud process" + (second != null ? "es" : string.Empty) + " over the phase; per stage below");
if (options.Events == "stamp")
{
    Row("stamps in the use ledger (hash-chained, with the application's facts)", $"{ledgered}", $"of {await cloud.CountStoredAsync()} stamp events stored in the whole run (warm-up and latency phase included)");
}

if (second != null)
{
    long first = await cloud.IngestedAsync();
    long other = await second.IngestedAsync();
    Row("split between the instances", $"{first} / {other}", "messages each instance ingested in the whole run (shared subscription)");
}

Row("cloud memory (peak RSS)", $"{peakMemory / 1024 / 1024} MB", $"{options.Devices} connected devices" + (second != null ? ", both instances together" : string.Empty));

// The cost of each ingest stage over the throughput phase (the cloud's own counters, Ingest/IngestStageCosts).
var stageRows = profileAfter.PerEvent(profileBefore, stored);
double pipelineMicros = stageRows.Sum(r => r.Microseconds);
var stageTable = new System.Text.StringBuilder("| stage | µs per stored event | KB allocated per stored event | batches whose allocations were counted |\n|---|---:|---:|---:|\n");
foreach ((string stage, double micros, double bytes, double counted) in stageRows)
{
    stageTable.Append($"| {stage} | {micros:0.0} | {(double.IsNaN(bytes) ? "—" : (bytes / 1024).ToString("0.00"))} | {counted:P0} |\n");
}

stageTable.Append($"| **ingest pipeline (sum; wall time of the one ingest loop{(second != null ? " per instance, both added" : string.Empty)})** | **{pipelineMicros:0.0}** | {stageRows.Where(r => !double.IsNaN(r.Bytes)).Sum(r => r.Bytes) / 1024:0.00} | |\n");
stageTable.Append($"| rest of the process: broker receive and send, MQTT sessions, GC, timers (CPU per event − pipeline; negative = the pipeline waited on the database) | {cpuPerEvent - pipelineMicros:0.0} | {(profileAfter.ProcessBytesPerEvent(profileBefore, stored) - stageRows.Where(r => !double.IsNaN(r.Bytes)).Sum(r => r.Bytes)) / 1024:0.00} | |\n");
AnsiConsole.WriteLine(stageTable.ToString());

// Soak: a steady rate for minutes; the cloud's memory at its start and end.
if (options.SoakSeconds > 0)
{
    long soakStored = await cloud.CountStoredAsync();
    long soakPublished = Load.Published;
    long Rss() => cloud.WorkingSet + (second?.WorkingSet ?? 0);
    long rssStart = Rss();
    var rss = new List<long> { rssStart };
    var soakClock = Stopwatch.StartNew();
    Task soak = Load.RunAsync(devices, options.SoakRate, TimeSpan.FromSeconds(options.SoakSeconds));
    while (!soak.IsCompleted)
    {
        await Task.WhenAny(soak, Task.Delay(10_000));
        rss.Add(Rss());
        AnsiConsole.MarkupLineInterpolated($"[grey]soak {soakClock.Elapsed.TotalSeconds:0} s: RSS {rss[^1] / 1024 / 1024} MB[/]");
    }

    await Load.SettleAsync(TimeSpan.FromSeconds(30));
    long soakOffered = Load.Published - soakPublished;
    var soakDrain = Stopwatch.StartNew();
    while (await cloud.CountStoredAsync() < soakStored + soakOffered && soakDrain.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(200);
    }

    long rssEnd = Rss();
    long soakKept = await cloud.CountStoredAsync() - soakStored;
    Row($"soak: cloud memory (RSS) at start → end", $"{rssStart / 1024 / 1024} MB → {rssEnd / 1024 / 1024} MB", $"{options.SoakSeconds / 60.0:0.#} min at {options.SoakRate}/s; min {rss.Min() / 1024 / 1024} MB, max {rss.Max() / 1024 / 1024} MB (sampled every 10 s); {soakKept} of {soakOffered} events stored");
}

// Connections: idle devices that log in and stay.
if (idleIds.Length > 0)
{
    var idle = idleIds.Select(id => new BenchDevice(id, DeviceKeys.Derive(CloudServer.MasterKey, id, 1), latencies)).ToList();
    var connecting = Stopwatch.StartNew();
    int failed = 0;
    await Parallel.ForEachAsync(idle, new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (d, _) =>
    {
        try
        {
            await d.ConnectAsync(host, cloud.MqttPort, Password(d.Id), subscribeAcks: true);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref failed);
        }
    });
    double connectSeconds = connecting.Elapsed.TotalSeconds;
    await Task.Delay(TimeSpan.FromSeconds(10));
    int held = idle.Count(d => d.IsConnected) + devices.Count(d => d.IsConnected);
    Row("connections held", $"{held}", $"{idle.Count} idle + {devices.Count} active devices; {failed} refused; connected in {connectSeconds:0.0} s; held 10 s");
    Row("cloud memory with them (RSS)", $"{cloud.WorkingSet / 1024 / 1024} MB", options.Broker == "mosquitto" ? $"Mosquitto {mosquitto!.WorkingSet / 1024 / 1024} MB" : string.Empty);
    await Parallel.ForEachAsync(idle, async (d, _) => await d.DisposeAsync());
}

await sampler.DisposeAsync();
await Parallel.ForEachAsync(devices, async (d, _) => await d.DisposeAsync());
cloud.Dispose();
second?.Dispose();

if (mosquitto != null && options.MosquittoMessages > 0)
{
    (double rate, double seconds) = await mosquitto.MeasureRawThroughputAsync(options.MosquittoMessages, 160);
    Row("Mosquitto raw throughput (reference)", $"{rate:0} /s", $"{options.MosquittoMessages} QoS 1 messages of 160 bytes, 8 publishers → 1 subscriber, {seconds:0.0} s");
}



if (options.RawInsertRows > 0)
{
    double raw = await RawInsertReference.MeasureAsync(options.Database, folder, options.Postgres, options.RawInsertRows);
    Row($"{options.Database} raw insert (reference)", $"{raw:0} rows/s", $"{options.RawInsertRows} rows of the stored shape, 100 per transaction, nothing else");
    Row("ingest / raw insert", $"{persistedRate / raw:P1}", "persisted events (verified, deduplicated, reconciled, ledgered, acknowledged) against bare inserts");
}

string title = $"SmartSeal cloud{(options.Events == "position" ? ", position reports" : string.Empty)}: {options.Devices} devices, broker {options.Broker}, database {options.Database}{(options.Instances > 1 ? $", {options.Instances} cloud instances" : string.Empty)}, {Environment.ProcessorCount} cores";
if (options.Markdown != null)
{
    var md = new System.Text.StringBuilder($"\n### {title}\n\n| measure | result | detail |\n|---|---|---|\n");
    foreach ((string what, string value, string note) in rows)
    {
        md.Append($"| {what} | {value} | {note.Replace("|", "/")} |\n");
    }

    md.Append($"\nCost per stored event by stage over the throughput phase ({stored} events; the cloud's counters `smartseal_ingest_stage_*`):\n\n").Append(stageTable);

    File.AppendAllText(options.Markdown, md.ToString());
}

var table = new Table().Title(title).AddColumns("measure", "result", "detail");
foreach ((string what, string value, string note) in rows)
{
    table.AddRow(Markup.Escape(what), Markup.Escape(value), Markup.Escape(note));
}

AnsiConsole.Write(table);
Directory.Delete(folder, recursive: true);
return 0;

static long Median(List<long> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);
