using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol.Security;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Scale-out as it is deployed: Mosquitto as the device broker, one PostgreSQL database, two cloud
/// processes that split the device traffic through the shared subscription, and a thousand locks
/// (lightweight MQTT clients signing real envelopes, plus two locks running the real firmware) that
/// stamp under use tokens the cloud issued through the real approval flow. Commands go out through
/// either instance; one instance is killed with SIGKILL mid-run. Every event ends in the device
/// records and the use ledger exactly once, and every chain verifies.
/// </summary>
public sealed class ThousandLocksScaleOutTests(ITestOutputHelper output)
{
    private const string CloudPassword = "scale-out-cloud-password";

    /// <summary>Locks in the fleet (SMARTSEAL_SCALEOUT_LOCKS; the suite runs 1000).</summary>
    private static int FleetSize => int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_SCALEOUT_LOCKS"), out int n) && n > 0 ? n : 1000;

    /// <summary>Stamps per fleet lock while the instance dies (SMARTSEAL_SCALEOUT_EVENTS; 2 more go before).</summary>
    private static int StampsDuringKill => int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_SCALEOUT_EVENTS"), out int n) && n > 0 ? n : 4;

    [Fact]
    public async Task Two_instances_on_mosquitto_and_postgres_a_thousand_locks_one_instance_killed_every_stamp_ledgered_once()
    {
        if (!TestServices.Available(PrivateMosquitto.IsInstalled && TestServices.Postgres != null, $"mosquitto (scripts/setup.sh) and PostgreSQL ({TestServices.PostgresVariable})", output))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        void Say(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        string[] fleetIds = Enumerable.Range(0, FleetSize).Select(i => $"fleet-{i:00000}").ToArray();
        string[] firmwareIds = ["fw-lock-a", "fw-lock-b"];
        string[] allIds = [.. fleetIds, .. firmwareIds];

        using PrivateMosquitto broker = await PrivateMosquitto.StartAsync(allIds, [("cloud-a", CloudPassword), ("cloud-b", CloudPassword)]);
        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync(TestServices.Postgres!);
        string dataA = RestartableCloud.NewDataDirectory();
        string dataB = RestartableCloud.NewDataDirectory();
        CloudProcess? a = null;
        CloudProcess? b = null;
        var fleet = new List<OutboxDevice>();
        var firmware = new List<(SimulatedLock Device, DeviceLoop Loop)>();
        try
        {
            // The first instance migrates the database; the second joins it.
            a = await CloudProcess.StartAsync(dataA, broker.Port, CloudFactory.FreePort(), Instance("cloud-a", database.ConnectionString));
            b = await CloudProcess.StartAsync(dataB, broker.Port, CloudFactory.FreePort(), Instance("cloud-b", database.ConnectionString));
            Say("Mosquitto, PostgreSQL and two cloud processes up");
            using HttpClient adminA = a.AdminClient();
            using HttpClient adminB = b.AdminClient();
            await Parallel.ForEachAsync(allIds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            {
                HttpResponseMessage response = await adminA.PostAsJsonAsync("/api/devices", new { deviceId = id, kind = "lock" }, ct);
                Assert.True(response.IsSuccessStatusCode, $"provisioning {id}: {await response.Content.ReadAsStringAsync(ct)}");
            });
            IReadOnlyDictionary<string, FleetTrip> trips = await FleetOffice.SeedAsync(a.BaseUrl, adminA, allIds, stampsEach: 100);
            Say($"{allIds.Length} locks provisioned, each with an approved application and a use token bound into it");

            OutboxDevice[] connected = new OutboxDevice[fleetIds.Length];
            await Parallel.ForEachAsync(fleetIds.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (d, _) =>
            {
                DeviceClient client = await DeviceClient.ConnectAsync(broker.Port, d.id, KeyOf(d.id), password: PrivateMosquitto.DevicePassword(d.id));
                connected[d.i] = new OutboxDevice(client, trips[d.id].TokenId);
            });
            fleet.AddRange(connected);
            foreach (string id in firmwareIds)
            {
                DeviceHostOptions options = Mission.DeviceOptions(broker.Port);
                options.LinkSettings.FixedPasswordExpiryUnixSeconds = PrivateMosquitto.FixedExpiry; // Mosquitto's password file holds the fixed-expiry password
                var device = new SimulatedLock(new DeviceProvisioning(id, KeyOf(id), 1, null), options) { Gnss = new SyntheticRoute(Mission.Lat, Mission.Lon, 20, Mission.Now) };
                var loop = new DeviceLoop(device);
                firmware.Add((device, loop));
                loop.Run(() => device.PowerOn("power-on"));
            }

            foreach ((SimulatedLock device, _) in firmware)
            {
                await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Token != null && device.GnssFeed?.Fixes > 0), $"{device.DeviceId} has its token and a fix", 60);
            }

            Say($"{fleet.Count} fleet locks and {firmware.Count} firmware locks connected to Mosquitto");

            // 1. Both instances at work: two stamps from every lock.
            await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (d, _) =>
            {
                await d.StampAsync();
                await d.StampAsync();
            });
            foreach ((SimulatedLock device, DeviceLoop loop) in firmware)
            {
                await StampOnceAsync(device, loop);
                await StampOnceAsync(device, loop);
            }

            await Task.WhenAll(fleet.Select(d => d.DrainAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120))));
            long ingestedByA = await IngestedAsync(a);
            long ingestedByB = await IngestedAsync(b);
            Say($"first stamps acknowledged: cloud-a ingested {ingestedByA}, cloud-b {ingestedByB}");
            Assert.True(ingestedByA > 0 && ingestedByB > 0, $"the shared subscription did not split the traffic: a {ingestedByA}, b {ingestedByB}");

            // 2. Commands through either instance, whichever instance stores the device's answer.
            await AssertCommandAnsweredAsync(adminB, firmwareIds[0]);
            await AssertCommandAnsweredAsync(adminA, firmwareIds[1]);
            await SetEnabledAsync(adminA, adminB, firmware[0], enabled: false);
            await SetEnabledAsync(adminB, adminA, firmware[0], enabled: true);
            Say("commands sent through each instance were answered; a disable and an enable acknowledged, read through the other instance");

            // 3. Everyone stamps on; cloud-a dies with SIGKILL in the middle of it.
            using var stopFirmware = new CancellationTokenSource();
            Task firmwareStamping = Task.WhenAll(firmware.Select(f => StampSteadilyAsync(f.Device, f.Loop, stopFirmware.Token)));
            Task fleetStamping = Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (d, _) =>
            {
                for (int i = 0; i < StampsDuringKill; i++)
                {
                    await d.StampAsync();
                    await Task.Delay(Random.Shared.Next(200, 600), CancellationToken.None); // pacing: each simulated lock stamps at a human pace
                }
            });
            await Task.Delay(800); // pacing: the fleet is mid-stamp when cloud-a is killed
            long killedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            a.KillHard();
            Say($"cloud-a killed with SIGKILL (it had ingested {ingestedByA} in the first phase; errors in its log: {a.Errors.Count()})");
            await fleetStamping;
            await stopFirmware.CancelAsync();
            await firmwareStamping;

            // What cloud-a had received but not stored and acknowledged is sent again by the devices' outboxes.
            await Task.WhenAll(fleet.Select(d => d.DrainAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(180))));
            foreach ((SimulatedLock device, DeviceLoop loop) in firmware)
            {
                await Mission.WaitUntilAsync(() =>
                {
                    loop.Run(() => device.Outbox.Flush()); // the outbox's 30 s resend delay, passed at once
                    return Task.FromResult(device.Queue.Count == 0);
                }, $"{device.DeviceId}'s outbox drained", 60);
            }

            Say($"every event acknowledged by cloud-b (it ingested {await IngestedAsync(b)})");

            // 4. Exactly once, everywhere.
            await using DbConnection connection = await b.Database().OpenAsync();
            Dictionary<string, long> stamped = (await connection.QueryAsync<(string Device, long Count)>(
                "SELECT device_id, COUNT(*) FROM device_messages WHERE type = 'stamped' GROUP BY device_id")).ToDictionary(r => r.Device, r => r.Count);
            foreach (OutboxDevice device in fleet)
            {
                Assert.Equal(device.Sent, stamped.GetValueOrDefault(device.DeviceId));
            }

            foreach ((SimulatedLock device, _) in firmware)
            {
                Assert.Equal(device.Bolt.UnlockCount, stamped.GetValueOrDefault(device.DeviceId));
            }

            long expected = fleet.Sum(d => d.Sent) + firmware.Sum(f => f.Device.Bolt.UnlockCount);
            Assert.Empty(await connection.QueryAsync<string>("SELECT device_id FROM device_messages GROUP BY device_id, seq HAVING COUNT(*) > 1"));
            Assert.Empty(await connection.QueryAsync<string>("SELECT source FROM ledger_entries WHERE source IS NOT NULL GROUP BY source HAVING COUNT(*) > 1"));
            Dictionary<string, long> ledgered = (await connection.QueryAsync<(string Seal, long Count)>(
                "SELECT seal_id, COUNT(*) FROM ledger_entries WHERE kind = 'stamp' GROUP BY seal_id")).ToDictionary(r => r.Seal, r => r.Count);
            Dictionary<string, long> used = (await connection.QueryAsync<(string Jti, long Used)>("SELECT jti, used FROM use_tokens")).ToDictionary(r => r.Jti, r => r.Used);
            foreach (string id in allIds)
            {
                long stamps = stamped.GetValueOrDefault(id);
                Assert.True(stamps == ledgered.GetValueOrDefault(trips[id].SealId), $"{id}: {stamps} stamps stored, {ledgered.GetValueOrDefault(trips[id].SealId)} in the ledger");
                Assert.True(stamps == used.GetValueOrDefault(trips[id].TokenId), $"{id}: {stamps} stamps stored, token counts {used.GetValueOrDefault(trips[id].TokenId)}");
            }

            Assert.Equal(expected, ledgered.Values.Sum());
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refused_messages"));
            string[] alarms = (await connection.QueryAsync<string>("SELECT DISTINCT type FROM alarms WHERE cleared_ms IS NULL")).ToArray();
            // A shared subscription hands a lock's consecutive stamps to different instances, so a later
            // seq can commit first, and resends after the failover arrive after newer stamps: none of
            // that is the device contradicting itself, so no use-out-of-order alarm.
            Assert.DoesNotContain(alarms, t => t is "token-overuse" or "use-out-of-order" or "replayed-message" or "forged-message");
            JsonElement verification = await adminB.GetFromJsonAsync<JsonElement>("/api/ledger/verify");
            Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
            Say($"{expected} stamps: each once in device records, once in the ledger, counted once on its token; {ledgered.Count} chains verify");
            Assert.Empty(a.Errors);
            Assert.Empty(b.Errors);
        }
        finally
        {
            foreach ((SimulatedLock device, DeviceLoop loop) in firmware)
            {
                loop.Dispose();
            }

            await Parallel.ForEachAsync(fleet, async (d, _) => await d.DisposeAsync());
            a?.Dispose();
            b?.Dispose();
            RestartableCloud.DeleteDataDirectory(dataA);
            RestartableCloud.DeleteDataDirectory(dataB);
        }
    }

    private static byte[] KeyOf(string deviceId) => DeviceKeys.Derive(CloudFactory.MasterKey, deviceId, 1);

    /// <summary>One cloud instance of the scale-out: PostgreSQL shared with the other, a client of Mosquitto with its own account.</summary>
    private static Dictionary<string, string> Instance(string instanceId, string postgres) => new()
    {
        ["SmartSeal__Database__Provider"] = "Postgres",
        ["SmartSeal__Database__ConnectionString"] = postgres,
        ["SmartSeal__Mqtt__Mode"] = "External",
        ["SmartSeal__Mqtt__Host"] = "127.0.0.1",
        ["SmartSeal__Mqtt__InstanceId"] = instanceId,
        ["SmartSeal__Mqtt__Username"] = instanceId,
        ["SmartSeal__Mqtt__Password"] = CloudPassword,
    };

    /// <summary>Device messages this instance took through its ingest pipeline (its Prometheus counter).</summary>
    private static async Task<long> IngestedAsync(CloudProcess cloud)
    {
        using HttpClient http = cloud.AdminClient(); // /metrics is for sysadmins (the scraper's admin API key)
        string metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith("smartseal_ingest_received", StringComparison.Ordinal))
            .Sum(line =>
            {
                // name{labels} value [timestamp]
                string rest = line[(line.Contains('}') ? line.IndexOf('}') + 1 : line.IndexOf(' '))..].Trim();
                return (long)double.Parse(rest.Split(' ')[0], CultureInfo.InvariantCulture);
            });
    }

    /// <summary>A locate command through one instance, waited for: the result is stored by whichever instance the broker hands it to.</summary>
    private static async Task AssertCommandAnsweredAsync(HttpClient admin, string deviceId)
    {
        JsonElement command = await Mission.OkAsync(await admin.PostAsJsonAsync($"/api/devices/{deviceId}/commands?wait=20", new { type = "locate", body = new { } }));
        Assert.True(command.GetProperty("status").GetString() == "ok", command.ToString());
    }

    /// <summary>Remote disable/enable through one instance; the lock applies it and the other instance shows the acknowledgement.</summary>
    private static async Task SetEnabledAsync(HttpClient through, HttpClient readBack, (SimulatedLock Device, DeviceLoop Loop) firmware, bool enabled)
    {
        string id = firmware.Device.DeviceId;
        HttpResponseMessage accepted = await through.PostAsJsonAsync($"/api/devices/{id}/{(enabled ? "enable" : "disable")}", new { reason = "规模测试" });
        string text = await accepted.Content.ReadAsStringAsync();
        Assert.True(accepted.IsSuccessStatusCode, text);
        JsonElement response = JsonDocument.Parse(text).RootElement;
        long version = response.GetProperty("desiredState").GetProperty("version").GetInt64();
        await Mission.WaitUntilAsync(() => Task.FromResult(firmware.Device.State!.Enabled == enabled), $"{id} applied enabled={enabled}");
        await Mission.WaitUntilAsync(
            async () =>
            {
                JsonElement desired = await readBack.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/desired-state");
                return desired.GetProperty("acknowledged").GetBoolean() && desired.GetProperty("appliedVersion").GetInt64() == version;
            },
            $"the other instance shows {id}'s acknowledgement of version {version}");
    }

    private static async Task StampOnceAsync(SimulatedLock device, DeviceLoop loop)
    {
        int before = device.Bolt.UnlockCount;
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Mode == LockMode.Idle), $"{device.DeviceId} is idle");
        loop.Run(device.PressButton);
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Mode == LockMode.Unlocked), $"{device.DeviceId} opened");
        loop.Run(device.Stamp);
        Assert.Equal(before + 1, device.Bolt.UnlockCount);
    }

    private static async Task StampSteadilyAsync(SimulatedLock device, DeviceLoop loop, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await StampOnceAsync(device, loop);
            await Task.Delay(150, CancellationToken.None); // pacing: a person stamps a page at a time
        }
    }
}
