using System.Diagnostics;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;
using SmartSeal.Simulators.Tui;
using Spectre.Console;

namespace SmartSeal.Simulators.Fleet;

/// <summary>
/// fleet: N locks in one process, driven by a few shared scheduler threads (each owns a slice of
/// the devices and runs every device's loop pass every 250 ms; no thread per device), walking
/// synthetic routes and reporting positions, with the harness cloud acknowledging everything.
/// At the end: connections, traffic, memory and CPU per device, allocations per operation.
/// </summary>
public static class FleetCommand
{
    private const int LoopMs = 250;

    public static int Run(FleetOptions o)
    {
        var clock = new HostClock();
        EmbeddedBroker? broker = null;
        Process? spawned = null;
        BrokerEndpoint endpoint;
        switch (o.Broker)
        {
            case "embedded":
                broker = new EmbeddedBroker(o.MasterKey, clock, o.Log);
                broker.Start();
                endpoint = broker.Endpoint;
                break;
            case "spawn":
                (spawned, endpoint) = SpawnBroker(o.MasterKey);
                break;
            default:
                endpoint = BrokerEndpoint.Parse(o.Broker);
                break;
        }

        using var cloud = new HarnessCloud(o.MasterKey, endpoint, clock, o.Log) { RecordBodies = false };
        cloud.Start();

        Process self = Process.GetCurrentProcess();
        long heapBaseline = GC.GetTotalMemory(true);
        var devices = new SimulatedLock[o.Count];
        for (int i = 0; i < o.Count; i++)
        {
            string id = $"lock-{i:00000}";
            IPersistentStore flash = o.StateDir != null ? new DirectoryStore(Path.Combine(o.StateDir, id), 1L << 20) : new FakePersistentStore(1L << 20);
            var options = new DeviceHostOptions
            {
                Broker = endpoint, Clock = clock, Flash = flash, Traffic = Traffic, Log = o.Log, Tap = false,
                QueueRecords = 128, QueueCriticalReserve = 16, LinkSettings = new CloudLinkSettings { InitialBackoffMs = 2000, MaxBackoffMs = 60000 },
            };
            int index = i;
            devices[i] = new SimulatedLock(DeviceProvisioning.FromMaster(o.MasterKey, id), options) { Gnss = SyntheticRoute.ForDevice(index, () => clock.UtcNowMs) };
        }

        long heapInstances = GC.GetTotalMemory(true);
        Console.WriteLine($"{o.Count} locks created: {(heapInstances - heapBaseline) / (double)o.Count / 1024:0.0} KB managed heap per lock before power-on; broker {endpoint}");

        TimeSpan cpuStart = self.TotalProcessorTime;
        var run = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (o.DurationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(o.DurationSeconds));
        }

        int shardCount = Math.Max(1, o.Threads);
        var shards = Enumerable.Range(0, shardCount).Select(s => new Shard(devices.Where((_, i) => i % shardCount == s).ToArray(), stop.Token)).ToArray();
        foreach (Shard shard in shards)
        {
            shard.Thread.Start();
        }

        if (o.Tui)
        {
            var view = new DeviceView(o.Log);
            AnsiConsole.Live(view.Render(Array.Empty<DeviceSnapshot>(), "fleet")).Start(ctx =>
            {
                while (!stop.IsCancellationRequested)
                {
                    ctx.UpdateTarget(view.Render(devices.Take(12).Select(d => d.Snapshot()).ToArray(), $"fleet of {o.Count} on {endpoint}", Summary(devices, cloud, run.Elapsed)));
                    Thread.Sleep(1000);
                }
            });
        }
        else
        {
            while (!stop.Token.WaitHandle.WaitOne(10_000))
            {
                Console.WriteLine(Summary(devices, cloud, run.Elapsed));
            }
        }

        foreach (Shard shard in shards)
        {
            shard.Thread.Join();
        }

        double seconds = run.Elapsed.TotalSeconds;
        TimeSpan cpu = self.TotalProcessorTime - cpuStart;
        self.Refresh();
        long workingSet = self.WorkingSet64;
        long heapRunning = GC.GetTotalMemory(true);
        var stats = new DeviceStepStats();
        foreach (Shard shard in shards)
        {
            stats.Add(shard.Stats);
        }

        int up = devices.Count(d => d.PoweredOn && d.Link.Phase == CloudLinkPhase.Up);
        long pending = devices.Sum(d => (long)d.Queue.Count);
        long cloudEvents = cloud.Devices.Sum(d => d.EventCount);
        long duplicates = cloud.Devices.Sum(d => d.Duplicates);
        TimeSpan brokerCpu = spawned != null ? spawned.TotalProcessorTime : TimeSpan.Zero;

        var table = new Table().Title($"[bold]fleet: {o.Count} locks, {seconds:0} s, {shardCount} scheduler threads[/]").AddColumns("measure", "value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("links up at the end", $"{up} / {o.Count}");
        Row("MQTT connects / failed attempts / drops", $"{Traffic.Connects} / {Traffic.ConnectFailures} / {Traffic.Drops}");
        Row("device publishes / messages received by devices", $"{Traffic.Published} / {Traffic.Received}");
        Row("events at the cloud (unique) / duplicates / acks sent", $"{cloudEvents} / {duplicates} / {cloud.AcksSent}");
        Row("outbox records pending at the end", pending.ToString());
        Row("managed heap per lock, instances only (before power-on)", $"{(heapInstances - heapBaseline) / (double)o.Count / 1024:0.0} KB");
        Row("managed heap per lock, running (incl. MQTTnet client)", $"{(heapRunning - heapBaseline) / (double)o.Count / 1024:0.0} KB");
        Row("working set per lock (whole process / count)", $"{workingSet / (double)o.Count / 1024:0.0} KB (process {workingSet / 1048576.0:0} MB{(broker != null ? ", broker in-process" : string.Empty)})");
        Row("CPU per lock", $"{cpu.TotalMilliseconds / o.Count / seconds * 1000:0.0} µs per second ({cpu.TotalSeconds / seconds * 100:0}% of one core for the fleet process)");
        if (spawned != null)
        {
            Row("broker process CPU", $"{brokerCpu.TotalSeconds / seconds * 100:0}% of one core");
        }

        Row("slowest loop pass of a scheduler thread", $"{shards.Max(s => s.SlowestPassMs)} ms (target {LoopMs} ms)");
        Row("allocated per handled message (incl. MQTTnet)", PerOp(stats.MessageBytes, stats.Messages));
        Row("allocated per position report (feed → fix → report → sign → flash → publish)", PerOp(stats.ReportBytes, stats.Reports));
        Row("allocated per GNSS cycle without a report", PerOp(stats.GnssBytes, stats.GnssCycles));
        Row("allocated per controller tick", PerOp(stats.TickBytes, stats.Ticks));
        Row("GC collections gen0/1/2", $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        AnsiConsole.Write(table);

        var shutdown = Stopwatch.StartNew();
        Parallel.ForEach(devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, d => d.Shutdown());
        Console.WriteLine($"shut down in {shutdown.Elapsed.TotalSeconds:0.0} s");
        broker?.Dispose();
        if (spawned != null)
        {
            spawned.Kill();
            spawned.WaitForExit();
        }

        return o.Log.ErrorCount == 0 ? 0 : 1;
    }

    private static readonly TrafficCounters Traffic = new();

    private static string PerOp(long bytes, long count) => count == 0 ? "n/a" : $"{bytes / (double)count:0} B (over {count} operations)";

    private static string Summary(SimulatedLock[] devices, HarnessCloud cloud, TimeSpan elapsed)
    {
        int up = devices.Count(d => d.PoweredOn && d.Link.Phase == CloudLinkPhase.Up);
        return $"{elapsed.TotalSeconds:0}s: {up}/{devices.Length} up, connects {Traffic.Connects}, failed {Traffic.ConnectFailures}, published {Traffic.Published}, cloud received {cloud.Received}, acks {cloud.AcksSent}";
    }

    /// <summary>Starts this program's <c>broker</c> command as a child process on a free port (a second process has its own socket limit).</summary>
    private static (Process, BrokerEndpoint) SpawnBroker(byte[] masterKey)
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FleetCommand).Assembly.Location);
        }

        foreach (string arg in new[] { "broker", "--port", port.ToString(), "--master-key", Convert.ToHexString(masterKey) })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        string? line = process.StandardOutput.ReadLine();
        if (line == null || !line.Contains("listening", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("broker child did not start: " + line);
        }

        return (process, new BrokerEndpoint("127.0.0.1", port));
    }

    /// <summary>One scheduler thread and its slice of the fleet.</summary>
    private sealed class Shard
    {
        private readonly SimulatedLock[] _devices;
        private readonly CancellationToken _stop;

        public Shard(SimulatedLock[] devices, CancellationToken stop)
        {
            _devices = devices;
            _stop = stop;
            Thread = new Thread(Run) { IsBackground = true, Name = "fleet-shard" };
        }

        public Thread Thread { get; }

        public DeviceStepStats Stats { get; } = new();

        public long SlowestPassMs { get; private set; }

        private void Run()
        {
            foreach (SimulatedLock device in _devices)
            {
                device.Stats = Stats;
            }

            var pass = new Stopwatch();
            bool booted = false;
            while (!_stop.IsCancellationRequested)
            {
                pass.Restart();
                foreach (SimulatedLock device in _devices)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }

                    if (!booted)
                    {
                        device.PowerOn("power-on");
                    }

                    device.Step();
                }

                booted = true;
                SlowestPassMs = Math.Max(SlowestPassMs, pass.ElapsedMilliseconds);
                int rest = LoopMs - (int)pass.ElapsedMilliseconds;
                if (rest > 0)
                {
                    _stop.WaitHandle.WaitOne(rest);
                }
            }
        }
    }
}
