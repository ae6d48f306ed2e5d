using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// The cloud process is killed with SIGKILL while a lock is stamping and publishing, then started
/// again on the same data directory and ports. Whatever was in flight — received but not committed,
/// committed but not acknowledged — must end up in the ledger exactly once.
/// </summary>
public class CloudCrashTests
{
    [Fact]
    public async Task A_cloud_killed_with_sigkill_mid_flow_loses_and_duplicates_no_stamp_and_the_ledger_verifies()
    {
        string data = RestartableCloud.NewDataDirectory();
        int mqttPort = CloudFactory.FreePort();
        int httpPort = CloudFactory.FreePort();
        CloudProcess cloud = await CloudProcess.StartAsync(data, mqttPort, httpPort);
        try
        {
            SealOffice office = await HttpSealOffice.CreateAsync(cloud);
            string lockId = OrgWorld.Unique("lock");
            byte[] key = await HttpSealOffice.ProvisionLockAsync(cloud, lockId);
            var device = new SimulatedLock(new DeviceProvisioning(lockId, key, 1, null), Mission.DeviceOptions(mqttPort))
            {
                Gnss = new SyntheticRoute(Mission.Lat, Mission.Lon, 20, Mission.Now),
            };
            using var loop = new DeviceLoop(device);
            loop.Run(() => device.PowerOn("power-on"));
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Link.IsConnected), "the lock is connected");

            string applicationId = await office.ApprovedApplicationAsync(Mission.Request(office.SealId, "lock", stamps: 100));
            await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId, tag = office.Tag }));
            await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Token != null && device.GnssFeed?.Fixes > 0), "token and fix on the lock");

            // Someone stamps steadily through everything that follows.
            using var stop = new CancellationTokenSource();
            Task stamping = Task.Run(() => Mission.StampSteadilyAsync(device, loop, stop.Token));
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Bolt.UnlockCount >= 4), "a few stamps online");

            cloud.KillHard();
            int atKill = device.Bolt.UnlockCount;
            await Mission.WaitUntilAsync(
                () => Task.FromResult(device.Bolt.UnlockCount > atKill && device.Queue.Count > 0),
                "the lock kept stamping with no cloud, the stamps waiting on its flash");
            cloud = await CloudProcess.StartAsync(data, mqttPort, httpPort);
            office = HttpSealOffice.Rebind(office, cloud);
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Bolt.UnlockCount >= atKill + 6), "more stamps after the restart", 60);
            await stop.CancelAsync();
            await stamping;
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0), "the lock's outbox drained", 60);

            int stampsMade = device.Bolt.UnlockCount;
            Assert.Equal(100 - stampsMade, device.State!.Remaining);
            Database database = cloud.Database();
            await using DbConnection connection = await database.OpenAsync();
            string[] sources = (await connection.QueryAsync<string>(
                "SELECT source FROM ledger_entries WHERE seal_id = @SealId AND kind = 'stamp'", new { office.SealId })).ToArray();
            long storedStamps = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @lockId AND type = 'stamped'", new { lockId });
            Assert.Equal(stampsMade, storedStamps);
            Assert.Equal(stampsMade, sources.Length);
            Assert.Equal(stampsMade, sources.Distinct().Count());
            JsonElement token = (await Mission.OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
            Assert.Equal(stampsMade, token.GetProperty("used").GetInt32());

            using HttpClient admin = cloud.AdminClient();
            JsonElement verification = await admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={office.SealId}");
            Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
            string[] alarms = (await connection.QueryAsync<string>("SELECT type FROM alarms WHERE device_id = @lockId AND cleared_ms IS NULL", new { lockId })).ToArray();
            Assert.DoesNotContain(alarms, a => a is "token-overuse" or "use-out-of-order" or "replayed-message" or "forged-message");
            loop.Run(device.Shutdown);
            Assert.Empty(cloud.Errors);
        }
        finally
        {
            cloud.Dispose();
            RestartableCloud.DeleteDataDirectory(data);
        }
    }
}
