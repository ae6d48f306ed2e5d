using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Security;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// Kill -9 and broker restarts at the bench's rates: a fleet of locks (MQTT clients signing real
/// envelopes, each with the firmware's outbox: keep every event until acknowledged, connect again,
/// resend) stamps as fast as the cloud takes it, into a cloud process on SQLite. Mid-load the cloud
/// is killed with SIGKILL and started again on the same database (with the embedded broker that is
/// also the broker's restart), or the external Mosquitto is killed and started again. Afterwards
/// every stamp is stored once, ledgered once, counted once on its token, every acknowledged stamp is
/// stored, and every chain verifies. SMARTSEAL_CRASH_FLEET and SMARTSEAL_CRASH_STAMPS make it longer.
/// </summary>
public sealed class FleetCrashAtRateTests(ITestOutputHelper output)
{
    private const string CloudAccount = "cloud-a";
    private const string CloudPassword = "fleet-crash-cloud-password-0123456789";

    /// <summary>Locks in the fleet (SMARTSEAL_CRASH_FLEET; the suite runs 100).</summary>
    private static int FleetSize => int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_CRASH_FLEET"), out int n) && n > 0 ? n : 100;

    /// <summary>Stamps each lock makes (SMARTSEAL_CRASH_STAMPS; the suite runs 60).</summary>
    private static int StampsEach => int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_CRASH_STAMPS"), out int n) && n > 0 ? n : 60;

    [Fact]
    public async Task A_fleet_at_full_rate_into_the_embedded_broker_and_sqlite_cloud_killed_twice_with_sigkill_loses_and_duplicates_no_stamp()
    {
        string data = RestartableCloud.NewDataDirectory();
        int mqttPort = CloudFactory.FreePort();
        int httpPort = CloudFactory.FreePort();
        var run = new FleetRun(output);
        CloudProcess cloud = await CloudProcess.StartAsync(data, mqttPort, httpPort, FleetSettings());
        try
        {
            await run.StartAsync(cloud, id => DeviceClient.ConnectAsync(mqttPort, id, KeyOf(id)));

            // The embedded broker lives in the cloud process: each kill is also the broker's restart.
            await run.UntilAsync(run.AfterMoreStamps(run.Total / 4));
            cloud.KillHard();
            run.Say("cloud killed with SIGKILL (its broker with it)");
            Task secondFault = run.AfterMoreStamps(run.Total / 4); // counted from here: the fleet stamps on once it is connected to the new process
            cloud = CloudProcess.Launch(data, mqttPort, httpPort, FleetSettings());
            await run.UntilAsync(secondFault);
            cloud.KillHard();
            run.Say("cloud killed with SIGKILL again, in the load after its restart");
            cloud = await CloudProcess.StartAsync(data, mqttPort, httpPort, FleetSettings());
            run.Say("cloud started again on the same SQLite database");

            await run.FinishAsync(cloud);
        }
        finally
        {
            await run.DisposeAsync();
            cloud.Dispose();
            RestartableCloud.DeleteDataDirectory(data);
        }
    }

    [Fact]
    public async Task A_fleet_at_full_rate_through_mosquitto_restarted_and_a_sqlite_cloud_killed_with_sigkill_loses_and_duplicates_no_stamp()
    {
        if (!TestServices.Available(PrivateMosquitto.IsInstalled, "mosquitto (scripts/setup.sh)", output))
        {
            return;
        }

        string[] ids = FleetIds();
        using PrivateMosquitto broker = await PrivateMosquitto.StartAsync(ids, [(CloudAccount, CloudPassword)]);
        string data = RestartableCloud.NewDataDirectory();
        int httpPort = CloudFactory.FreePort();
        Dictionary<string, string> settings = FleetSettings();
        settings["SmartSeal__Mqtt__Mode"] = "External";
        settings["SmartSeal__Mqtt__Host"] = "127.0.0.1";
        settings["SmartSeal__Mqtt__InstanceId"] = CloudAccount;
        settings["SmartSeal__Mqtt__Username"] = CloudAccount;
        settings["SmartSeal__Mqtt__Password"] = CloudPassword;
        var run = new FleetRun(output);
        CloudProcess cloud = await CloudProcess.StartAsync(data, broker.Port, httpPort, settings);
        try
        {
            await run.StartAsync(cloud, id => DeviceClient.ConnectAsync(broker.Port, id, KeyOf(id), password: PrivateMosquitto.DevicePassword(id)));

            await run.UntilAsync(run.AfterMoreStamps(run.Total / 4));
            broker.Kill();
            run.Say("Mosquitto killed (every device and the cloud lose their connection)");
            Task secondFault = run.AfterMoreStamps(run.Total / 4);
            await broker.StartAgainAsync();
            run.Say("Mosquitto started again; devices and cloud reconnect by themselves");
            await run.UntilAsync(secondFault);
            cloud.KillHard();
            run.Say("cloud killed with SIGKILL (Mosquitto stays up, the fleet publishes on)");
            cloud = await CloudProcess.StartAsync(data, broker.Port, httpPort, settings);
            run.Say("cloud started again on the same SQLite database");

            await run.FinishAsync(cloud);
        }
        finally
        {
            await run.DisposeAsync();
            cloud.Dispose();
            RestartableCloud.DeleteDataDirectory(data);
        }
    }

    private static string[] FleetIds() => Enumerable.Range(0, FleetSize).Select(i => $"crash-{i:00000}").ToArray();

    private static byte[] KeyOf(string deviceId) => DeviceKeys.Derive(CloudFactory.MasterKey, deviceId, 1);

    /// <summary>Every lock connects from loopback and stamps far faster than a person: the per-device and per-address limits opened (as the bench does).</summary>
    private static Dictionary<string, string> FleetSettings() => new()
    {
        ["SmartSeal__Mqtt__MaxMessagesPerSecondPerDevice"] = "100000",
        ["SmartSeal__Mqtt__Limits__ConnectionBurstPerAddress"] = "100000",
        ["SmartSeal__Mqtt__Limits__ConnectionsPerSecondPerAddress"] = "100000",
        ["SmartSeal__Mqtt__Limits__MaxPendingConnections"] = "100000",
    };

    /// <summary>The fleet, its stamping and the checks after the faults.</summary>
    private sealed class FleetRun(ITestOutputHelper output) : IAsyncDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<OutboxDevice> _fleet = [];
        private readonly List<(long Target, TaskCompletionSource Reached)> _marks = [];
        private IReadOnlyDictionary<string, FleetTrip> _trips = new Dictionary<string, FleetTrip>();
        private Task _stamping = Task.CompletedTask;
        private long _stamped;
        private int _total;
        private TimeSpan _stampingStarted;

        public void Say(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what} ({Interlocked.Read(ref _stamped)} of {_total} stamps made)");

        /// <summary>Provisions and seeds the fleet through the cloud's API, connects it and starts every lock stamping.</summary>
        public async Task StartAsync(CloudProcess cloud, Func<string, Task<DeviceClient>> connect)
        {
            string[] ids = FleetIds();
            using HttpClient admin = cloud.AdminClient();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            {
                HttpResponseMessage response = await admin.PostAsJsonAsync("/api/devices", new { deviceId = id, kind = "lock" }, ct);
                Assert.True(response.IsSuccessStatusCode, $"provisioning {id}: {await response.Content.ReadAsStringAsync(ct)}");
            });
            _trips = await FleetOffice.SeedAsync(cloud.BaseUrl, admin, ids, stampsEach: StampsEach + 10);
            var connected = new OutboxDevice[ids.Length];
            await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (d, _) =>
                connected[d.i] = new OutboxDevice(await connect(d.id), _trips[d.id].TokenId, () => connect(d.id)));
            _fleet.AddRange(connected);
            _total = _fleet.Count * StampsEach;
            Say($"{ids.Length} locks provisioned, each with an approved application and a use token, connected");
            _stampingStarted = _clock.Elapsed;
            _stamping = Task.WhenAll(_fleet.Select(d => Task.Run(() => StampAllAsync(d))));
        }

        /// <summary>Stamps the whole fleet makes.</summary>
        public int Total => _total;

        /// <summary>Completes when the fleet has made <paramref name="count"/> more stamps than now (a signal, not a clock).</summary>
        public Task AfterMoreStamps(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_marks)
            {
                _marks.Add((Interlocked.Read(ref _stamped) + count, reached));
            }

            return reached.Task;
        }

        /// <summary>Waits for a mark of <see cref="AfterMoreStamps"/>; fails if the fleet stopped stamping first.</summary>
        public async Task UntilAsync(Task mark)
        {
            await Task.WhenAny(mark, _stamping);
            if (_stamping.IsFaulted)
            {
                await _stamping;
            }

            Assert.True(mark.IsCompleted, "the fleet made all its stamps before the fault; make SMARTSEAL_CRASH_STAMPS larger");
        }

        /// <summary>Waits for the fleet's last stamp and every acknowledgement, then checks the database end to end.</summary>
        public async Task FinishAsync(CloudProcess cloud)
        {
            await _stamping;
            TimeSpan stampingTook = _clock.Elapsed - _stampingStarted;
            Say($"every lock made its stamps: {_total / stampingTook.TotalSeconds:0} stamps/s over {stampingTook.TotalSeconds:0.0} s, faults included; {_fleet.Sum(d => d.Reconnects)} reconnections");
            await Task.WhenAll(_fleet.Select(d => d.DrainAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(120))));
            Say("every stamp acknowledged");

            await using DbConnection connection = await cloud.Database().OpenAsync();
            var stored = (await connection.QueryAsync<(string Device, long Seq)>("SELECT device_id, seq FROM device_messages WHERE type = 'stamped'"))
                .GroupBy(r => r.Device).ToDictionary(g => g.Key, g => g.Select(r => r.Seq).ToList());
            foreach (OutboxDevice device in _fleet)
            {
                List<long> seqs = stored.GetValueOrDefault(device.DeviceId) ?? [];
                Assert.True(seqs.Count == device.Sent, $"{device.DeviceId}: {device.Sent} stamps made, {seqs.Count} stored");
                Assert.True(seqs.Distinct().Count() == seqs.Count, $"{device.DeviceId}: a seq stored twice");
                HashSet<long> acked = device.Acknowledged();
                Assert.True(acked.IsSubsetOf(seqs), $"{device.DeviceId}: acknowledged but not stored: {string.Join(",", acked.Except(seqs))}");
                Assert.Equal(Enumerable.Range(1, StampsEach).Select(i => (long)i), seqs.Order());
            }

            Assert.Empty(await connection.QueryAsync<string>("SELECT device_id FROM device_messages GROUP BY device_id, seq HAVING COUNT(*) > 1"));
            Assert.Empty(await connection.QueryAsync<string>("SELECT source FROM ledger_entries WHERE source IS NOT NULL GROUP BY source HAVING COUNT(*) > 1"));
            Dictionary<string, long> ledgered = (await connection.QueryAsync<(string Seal, long Count)>(
                "SELECT seal_id, COUNT(*) FROM ledger_entries WHERE kind = 'stamp' GROUP BY seal_id")).ToDictionary(r => r.Seal, r => r.Count);
            Dictionary<string, long> used = (await connection.QueryAsync<(string Jti, long Used)>("SELECT jti, used FROM use_tokens")).ToDictionary(r => r.Jti, r => r.Used);
            foreach (OutboxDevice device in _fleet)
            {
                FleetTrip trip = _trips[device.DeviceId];
                Assert.True(ledgered.GetValueOrDefault(trip.SealId) == device.Sent, $"{device.DeviceId}: {device.Sent} stamps, {ledgered.GetValueOrDefault(trip.SealId)} in the ledger");
                Assert.True(used.GetValueOrDefault(trip.TokenId) == device.Sent, $"{device.DeviceId}: {device.Sent} stamps, token counts {used.GetValueOrDefault(trip.TokenId)}");
            }

            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refused_messages"));
            string[] alarms = (await connection.QueryAsync<string>("SELECT DISTINCT type FROM alarms WHERE cleared_ms IS NULL")).ToArray();
            Assert.DoesNotContain(alarms, t => t is "token-overuse" or "use-out-of-order" or "replayed-message" or "forged-message");
            using HttpClient admin = cloud.AdminClient();
            JsonElement verification = await admin.GetFromJsonAsync<JsonElement>("/api/ledger/verify");
            Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
            Say($"{_total} stamps: each once in device records, once in the ledger, counted once on its token; {ledgered.Count} chains verify");
            Assert.Empty(cloud.Errors);
        }

        public async ValueTask DisposeAsync() => await Parallel.ForEachAsync(_fleet, async (d, _) => await d.DisposeAsync());

        /// <summary>One lock stamping as fast as its broker takes it; a failed publish stays in its outbox and the lock reconnects before the next stamp.</summary>
        private async Task StampAllAsync(OutboxDevice device)
        {
            for (int i = 0; i < StampsEach; i++)
            {
                if (!await device.StampAsync())
                {
                    await device.DrainAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(120)); // the lock reconnects, resends and waits for its acks
                }

                long made = Interlocked.Increment(ref _stamped);
                lock (_marks)
                {
                    foreach ((long target, TaskCompletionSource reached) in _marks)
                    {
                        if (made >= target)
                        {
                            reached.TrySetResult();
                        }
                    }
                }
            }
        }
    }
}
