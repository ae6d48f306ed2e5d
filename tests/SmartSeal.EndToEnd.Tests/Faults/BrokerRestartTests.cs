using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Security;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// The external broker (Mosquitto) killed and started again under a running cloud process while a
/// lock on the real firmware stamps steadily: the lock keeps its events in its outbox, both it and
/// the cloud reconnect by themselves, and afterwards every stamp is stored once, in the ledger once,
/// counted once on its token, and the ledger verifies.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const string CloudAccount = "cloud-a";
    private const string CloudPassword = "broker-restart-cloud-password-0123456789";

    [Fact]
    public async Task Mosquitto_killed_and_restarted_mid_flow_the_lock_and_the_cloud_reconnect_and_no_stamp_is_lost_or_duplicated()
    {
        if (!TestServices.Available(PrivateMosquitto.IsInstalled, "mosquitto (scripts/setup.sh)", output))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        void Say(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        string lockId = OrgWorld.Unique("lock");
        using PrivateMosquitto broker = await PrivateMosquitto.StartAsync([lockId], [(CloudAccount, CloudPassword)]);
        string data = RestartableCloud.NewDataDirectory();
        CloudProcess? cloud = null;
        DeviceLoop? loop = null;
        try
        {
            cloud = await CloudProcess.StartAsync(data, broker.Port, CloudFactory.FreePort(), new Dictionary<string, string>
            {
                ["SmartSeal__Mqtt__Mode"] = "External",
                ["SmartSeal__Mqtt__Host"] = "127.0.0.1",
                ["SmartSeal__Mqtt__InstanceId"] = CloudAccount,
                ["SmartSeal__Mqtt__Username"] = CloudAccount,
                ["SmartSeal__Mqtt__Password"] = CloudPassword,
            });
            using HttpClient admin = cloud.AdminClient();
            Assert.True((await admin.PostAsJsonAsync("/api/devices", new { deviceId = lockId, kind = "lock" })).IsSuccessStatusCode);
            FleetTrip trip = (await FleetOffice.SeedAsync(cloud.BaseUrl, admin, [lockId], stampsEach: 500))[lockId];

            DeviceHostOptions options = Mission.DeviceOptions(broker.Port);
            options.LinkSettings.FixedPasswordExpiryUnixSeconds = PrivateMosquitto.FixedExpiry; // Mosquitto's password file holds the fixed-expiry password
            var device = new SimulatedLock(new DeviceProvisioning(lockId, DeviceKeys.Derive(CloudFactory.MasterKey, lockId, 1), 1, null), options)
            {
                Gnss = new SyntheticRoute(Mission.Lat, Mission.Lon, 20, Mission.Now),
            };
            loop = new DeviceLoop(device);
            loop.Run(() => device.PowerOn("power-on"));
            await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Token != null && device.GnssFeed?.Fixes > 0), "the token reached the lock and it has a fix", 60);

            using var stop = new CancellationTokenSource();
            Task stamping = Task.Run(() => Mission.StampSteadilyAsync(device, loop, stop.Token));
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Bolt.UnlockCount >= 3), "a few stamps with the broker up");

            broker.Kill();
            int atKill = device.Bolt.UnlockCount;
            Say($"Mosquitto killed after {atKill} stamps");
            await Task.Delay(3_000); // fault: the broker (a real Mosquitto process) stays down while the lock stamps on
            await broker.StartAgainAsync();
            int atStart = device.Bolt.UnlockCount;
            Say($"Mosquitto started again; {atStart - atKill} stamps were made while it was down, {device.Queue.Count} events waiting in the lock's outbox");
            int errorsBefore = cloud.Errors.Count();

            await Mission.WaitUntilAsync(() => Task.FromResult(device.Bolt.UnlockCount >= atStart + 3), "stamping after the restart", 60);
            await stop.CancelAsync();
            await stamping;
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0), "the lock's outbox drained: the cloud is back and acknowledging", 60);
            int stamps = device.Bolt.UnlockCount;
            Say($"outbox drained; {stamps} stamps in all");

            using Database database = cloud.Database();
            await using DbConnection connection = await database.OpenAsync();
            long[] seqs = (await connection.QueryAsync<long>("SELECT seq FROM device_messages WHERE device_id = @lockId AND seq > 0 ORDER BY seq", new { lockId })).ToArray();
            Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs); // every numbered event once, no gap
            Assert.Equal(stamps, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @lockId AND type = 'stamped'", new { lockId }));
            string[] sources = (await connection.QueryAsync<string>("SELECT source FROM ledger_entries WHERE seal_id = @SealId AND kind = 'stamp'", new { trip.SealId })).ToArray();
            Assert.Equal(stamps, sources.Length);
            Assert.Equal(stamps, sources.Distinct().Count());
            Assert.Equal(stamps, await connection.ExecuteScalarAsync<long>("SELECT used FROM use_tokens WHERE jti = @TokenId", new { trip.TokenId }));
            JsonElement verification = await admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={trip.SealId}");
            Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
            Assert.Equal(errorsBefore, cloud.Errors.Count()); // nothing went wrong once the broker was back
            loop.Run(device.Shutdown);
        }
        finally
        {
            loop?.Dispose();
            cloud?.Dispose();
            RestartableCloud.DeleteDataDirectory(data);
        }
    }
}
