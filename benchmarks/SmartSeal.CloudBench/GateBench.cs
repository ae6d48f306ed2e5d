using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;
using Spectre.Console;

namespace SmartSeal.CloudBench;

/// <summary>
/// Gate → compartment latency (DESIGN.md §7: p95 ≤ 300 ms): from the moment the edge gate
/// publishes its signed face-match decision on MQTT to the moment the cabinet firmware releases
/// the compartment's latch. In between: the cloud's ingest (MAC, dedupe, store), the gate decision
/// handler, the <c>GateDispatcher</c>, a cabinet use token and the signed <c>dispense</c> command,
/// and the real <see cref="CabinetController"/> on fake hardware verifying it. The cloud runs as
/// its own process; the cabinet runs in this one on its own loop thread, the gate is an MQTT client
/// that signs as the gate device. Each collection is a separately approved application;
/// the applicant takes the seal and returns it, and the keeper accepts the return, before the next
/// collection starts (what follows the release is not measured).
/// </summary>
public static class GateBench
{
    private const string Usage = "usage: SmartSeal.CloudBench gate [--collections 200] [--database sqlite|postgres] [--postgres CONNECTION] [--markdown report.md]";

    public static async Task<int> RunAsync(string[] args)
    {
        int collections = 200;
        string database = "sqlite";
        string? postgres = Environment.GetEnvironmentVariable("SMARTSEAL_TEST_POSTGRES");
        string? markdown = null;
        for (int i = 0; i < args.Length; i += 2)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--collections": collections = int.Parse(value); break;
                case "--database": database = value is "sqlite" or "postgres" ? value : throw new ArgumentException("--database sqlite|postgres"); break;
                case "--postgres": postgres = value; break;
                case "--markdown": markdown = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}. {Usage}");
            }
        }

        string folder = Path.Combine(Path.GetTempPath(), "smartseal-gatebench-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(folder);
        AnsiConsole.MarkupLineInterpolated($"[bold]SmartSeal gate → compartment benchmark[/]: {collections} collections, database {database}, {Environment.ProcessorCount} cores; work folder {folder}");
        using CloudServer cloud = await CloudServer.StartAsync(folder, new BenchOptions { Database = database, Postgres = postgres }, null);
        HttpClient admin = cloud.Http;
        string cabinetId = "gatebench-cab";
        string gateId = "gatebench-gate";
        await BenchOffice.OkAsync(admin.PostAsJsonAsync("/api/devices", new { deviceId = cabinetId, kind = "cabinet", compartments = 1 }));
        await BenchOffice.OkAsync(admin.PostAsJsonAsync("/api/devices", new { deviceId = gateId, kind = "gate" }));

        // The office: a keeper, the two approvers, the applicant the gate recognises, one seal.
        string province = "gate-prov-" + Guid.NewGuid().ToString("n")[..6];
        string city = province + "-city";
        await BenchOffice.OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = "hq", nameZh = "总部" }), allowConflict: true);
        await BenchOffice.OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = province, parentId = "hq", nameZh = "基准省公司" }));
        await BenchOffice.OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = city, parentId = province, nameZh = "基准市公司" }));
        HttpClient keeper = await BenchOffice.PersonAsync(admin, province + "-keeper", province, "keeper");
        HttpClient owner = await BenchOffice.PersonAsync(admin, province + "-owner", province, "approver");
        HttpClient head = await BenchOffice.PersonAsync(admin, province + "-head", city, "approver");
        string applicantLogin = province + "-applicant";
        HttpClient applicant = await BenchOffice.PersonAsync(admin, applicantLogin, city, "applicant");
        string sealId = province + "-seal";
        string tag = "E2" + Guid.NewGuid().ToString("n")[..14].ToUpperInvariant();
        await BenchOffice.OkAsync(keeper.PostAsJsonAsync("/api/seals", new { id = sealId, name = "基准合同章", type = "contract", unitId = province, level = 2 }));
        await BenchOffice.OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" }));
        await BenchOffice.OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = tag }));

        // The cabinet: the real firmware on fake latch, door and reader.
        var cabinet = new SimulatedCabinet(
            DeviceProvisioning.FromMaster(CloudServer.MasterKey, cabinetId),
            new DeviceHostOptions
            {
                Broker = new BrokerEndpoint("127.0.0.1", cloud.MqttPort),
                Clock = new HostClock(),
                Flash = new FakePersistentStore(4 * 1024 * 1024),
                Traffic = new TrafficCounters(),
                Log = new SimLog(),
                LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
            },
            1);
        using var runner = new CabinetRunner(cabinet);
        runner.Run(() => cabinet.PowerOn("power-on"));
        await WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{cabinetId}")).GetProperty("online").GetBoolean(), "the cabinet is online");

        // The keeper stows the seal: the compartment opens for it, the seal goes in, the door shuts.
        await BenchOffice.OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/stow", new { cabinetId, compartment = 1 }));
        await WaitUntilAsync(() => Task.FromResult(runner.Mode == CompartmentMode.Returning), "the compartment opened for the seal");
        runner.Run(() => cabinet.SetDoor(1, true));
        cabinet.SetTag(1, tag);
        await Task.Delay(600);
        runner.Run(() => cabinet.SetDoor(1, false));
        await WaitUntilAsync(async () => (await keeper.GetFromJsonAsync<JsonElement>($"/api/seals/{sealId}")).GetProperty("locationRef").GetString() == $"{cabinetId}/1", "the seal is in the cabinet");

        int warmUp = 3;
        var seeding = Stopwatch.StartNew();
        long baseDue = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 86_400_000;
        string[] applications = new string[collections + warmUp];
        await Parallel.ForEachAsync(Enumerable.Range(0, applications.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, ct) =>
        {
            // Due one second apart: the dispatcher serves the earliest due first, so collection n is application n.
            JsonElement application = await BenchOffice.OkAsync(applicant.PostAsJsonAsync("/api/applications", new
            {
                sealId, purpose = "基准测试", documents = new[] { new { name = "合同.pdf", pages = 1 } }, stamps = 1, mode = "cabinet",
                windowFromMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, windowToMs = baseDue + (n * 1000L), urgency = "normal",
            }, ct));
            string applicationId = application.GetProperty("id").GetString()!;
            await BenchOffice.OkAsync(head.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            await BenchOffice.OkAsync(owner.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            applications[n] = applicationId;
        });
        AnsiConsole.MarkupLineInterpolated($"[grey]{applications.Length} approved collections for {applicantLogin} in {seeding.Elapsed.TotalSeconds:0.0} s[/]");

        byte[] gateKey = DeviceKeys.Derive(CloudServer.MasterKey, gateId, 1);
        using IMqttClient gate = new MqttClientFactory().CreateMqttClient();
        await gate.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", cloud.MqttPort).WithClientId(gateId)
            .WithCredentials(gateId, BrokerPassword.Create(gateId, gateKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600)).WithCleanSession(true).Build());
        long seq = 0;
        var latencies = new List<double>();
        var run = Stopwatch.StartNew();
        for (int i = 0; i < applications.Length; i++)
        {
            Task<long> opened = runner.NextReleaseAsync();
            var envelope = new Envelope { DeviceId = gateId, Seq = ++seq, Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Type = MessageTypes.FaceMatch, Id = string.Empty };
            envelope.SetBody(MessageCodec.EncodeBody(new FaceMatchBody { Subject = applicantLogin, CabinetId = cabinetId, Score = 7200, Margin = 2100, Liveness = 9500, Frames = 3, TemplateVersion = "w600k-r50/1" }));
            byte[] payload = EnvelopeCodec.Encode(envelope, gateKey);
            long published = Stopwatch.GetTimestamp();
            await gate.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.For(gateId, MessageTypes.TopicOf(MessageTypes.FaceMatch)))
                .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            if (await Task.WhenAny(opened, Task.Delay(TimeSpan.FromSeconds(15))) != opened)
            {
                throw new InvalidOperationException($"collection {i + 1}: the compartment did not open within 15 s (see {cloud.LogPath})");
            }

            if (i >= warmUp)
            {
                latencies.Add(Stopwatch.GetElapsedTime(published, await opened).TotalMilliseconds);
            }

            // Not measured: the applicant takes the seal, brings it back, the keeper accepts the return.
            runner.Run(() => cabinet.SetDoor(1, true));
            cabinet.SetTag(1, string.Empty);
            await WaitUntilAsync(() => Task.FromResult(runner.Mode == CompartmentMode.Out), "the seal was taken");
            runner.Run(() => cabinet.SetDoor(1, false));
            await WaitUntilAsync(async () => await StatusAsync(keeper, applications[i]) == "out", $"collection {i + 1} is out");
            await BenchOffice.OkAsync(keeper.PostAsync($"/api/checkouts/{applications[i]}/accept-return", null));
            await WaitUntilAsync(() => Task.FromResult(runner.Mode == CompartmentMode.Returning), "the compartment opened for the return");
            runner.Run(() => cabinet.SetDoor(1, true));
            cabinet.SetTag(1, tag);
            await Task.Delay(20); // the reader is polled every loop step
            runner.Run(() => cabinet.SetDoor(1, false));
            await WaitUntilAsync(async () => await StatusAsync(keeper, applications[i]) == "returned", $"collection {i + 1} is back");
        }

        runner.Run(cabinet.Shutdown);
        await gate.DisconnectAsync();
        double[] sorted = latencies.Order().ToArray();
        double P(double p) => sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1))];
        string title = $"Gate → compartment: {collections} collections, embedded broker, {database}, {Environment.ProcessorCount} cores";
        string result = $"p50 {P(50):0} ms, p95 {P(95):0} ms, p99 {P(99):0} ms, max {sorted[^1]:0} ms";
        string detail = $"signed face-match published → cabinet firmware releases the latch; target p95 ≤ 300 ms; {collections} collections in {run.Elapsed.TotalSeconds:0} s";
        var table = new Table().Title(title).AddColumns("measure", "result", "detail");
        table.AddRow("gate decision → compartment open", Markup.Escape(result), Markup.Escape(detail));
        AnsiConsole.Write(table);
        if (markdown != null)
        {
            await File.AppendAllTextAsync(markdown,
                $"\n### {title}\n\n| measure | p50 | p95 | p99 | max | detail |\n|---|---|---|---|---|---|\n" +
                $"| gate decision → compartment open | {P(50):0} ms | {P(95):0} ms | {P(99):0} ms | {sorted[^1]:0} ms | {detail} |\n");
        }

        Directory.Delete(folder, recursive: true);
        return 0; // a slow run is a result to read, not a failure of the command
    }

    private static async Task<string?> StatusAsync(HttpClient keeper, string applicationId) =>
        (await keeper.GetFromJsonAsync<JsonElement>($"/api/checkouts/{applicationId}")).GetProperty("checkout").GetProperty("status").GetString();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new InvalidOperationException($"timed out waiting until {what}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// The cabinet's main loop on its own thread (the firmware core is single-threaded), stepping
    /// every 2 ms; after each step it notes when compartment 1's latch went from shut to released.
    /// </summary>
    private sealed class CabinetRunner : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(Action Action, TaskCompletionSource Done)> _actions = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private TaskCompletionSource<long>? _release;
        private volatile int _mode;

        public CabinetRunner(SimulatedCabinet cabinet)
        {
            _thread = new Thread(() =>
            {
                bool wasReleased = false;
                while (!_stop.IsCancellationRequested)
                {
                    while (_actions.TryDequeue(out var work))
                    {
                        try
                        {
                            work.Action();
                            work.Done.SetResult();
                        }
                        catch (Exception e)
                        {
                            work.Done.SetException(e);
                        }
                    }

                    cabinet.Step();
                    bool released = cabinet.Latches[0].IsUnlocked;
                    if (released && !wasReleased)
                    {
                        Interlocked.Exchange(ref _release, null)?.TrySetResult(Stopwatch.GetTimestamp());
                    }

                    wasReleased = released;
                    _mode = cabinet.Compartments.Length > 0 ? (int)cabinet.Compartments[0].Mode : -1;
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Name = "cabinet loop" };
            _thread.Start();
        }

        public CompartmentMode Mode => (CompartmentMode)_mode;

        /// <summary>Completes with the timestamp of the next release of the latch.</summary>
        public Task<long> NextReleaseAsync()
        {
            var release = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _release, release);
            return release.Task;
        }

        public void Run(Action action)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _actions.Enqueue((action, done));
            if (!done.Task.Wait(TimeSpan.FromSeconds(20)))
            {
                throw new InvalidOperationException("the cabinet loop did not run the action");
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }
}
