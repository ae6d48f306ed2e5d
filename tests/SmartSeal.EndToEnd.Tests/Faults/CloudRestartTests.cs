using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// The cloud stops in the middle of a lock trip (a clean host stop; the crash of a real process is
/// <see cref="CloudCrashTests"/>) and another one starts on the same data directory and broker port.
/// The lock keeps stamping meanwhile, its events waiting in its flash outbox.
/// </summary>
public class CloudRestartTests
{
    [Fact]
    public async Task Stamps_buffered_while_the_cloud_was_down_reach_the_ledger_exactly_once_after_it_is_back()
    {
        string data = RestartableCloud.NewDataDirectory();
        int port = CloudFactory.FreePort();
        try
        {
            SealOffice office;
            string applicationId;
            SimulatedLock device;
            DeviceLoop loop;
            string lockId = OrgWorld.Unique("lock");
            using (var first = new RestartableCloud(data, port))
            {
                _ = first.Server;
                var before = new Mission(first);
                office = await before.OfficeAsync();
                (device, loop) = await before.OnlineLockAsync(lockId);
                applicationId = await before.LockTripAsync(office, device, stamps: 5);
                await before.StampAsync(device, loop, 1);

                // A stamp whose events are on their way when the cloud goes.
                loop.Run(device.PressButton);
                await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), "open for stamp 2");
                loop.Run(device.Stamp);
                first.AssertNoErrors();
            }

            using DeviceLoop running = loop;
            await Mission.WaitUntilAsync(() => Task.FromResult(!device.Link.IsConnected), "the lock lost the broker with the cloud");

            // Two more stamps while no cloud exists: only the flash outbox holds them.
            for (int stamp = 3; stamp <= 4; stamp++)
            {
                await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle");
                loop.Run(device.PressButton);
                await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), $"open offline for stamp {stamp}");
                loop.Run(device.Stamp);
            }

            await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle after the offline stamps");
            Assert.True(device.Queue.Count >= 2, $"{device.Queue.Count} events wait on flash");

            using var second = new RestartableCloud(data, port);
            _ = second.Server;
            var after = new Mission(second);
            office = second.Rebind(office);
            await Mission.WaitUntilAsync(async () => await after.CountAsync(lockId, "stamped") == 4, "the buffered stamps arrived at the new cloud", 30);
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0), "the outbox drained");
            await after.StampAsync(device, loop, 5);

            JsonElement[] stamps = (await after.LedgerAsync(office.SealId)).Where(e => e.GetProperty("kind").GetString() == "stamp").ToArray();
            Assert.Equal(5, stamps.Length);
            string[] sources = await after.LedgerSourcesAsync(office.SealId, "stamp");
            Assert.Equal(5, sources.Length);
            Assert.Equal(sources.Length, sources.Distinct().Count());
            Assert.All(stamps, s => Assert.Equal(applicationId, s.GetProperty("applicationId").GetString()));
            Assert.Equal(5, device.Bolt.UnlockCount);
            JsonElement token = (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0];
            Assert.Equal(5, token.GetProperty("used").GetInt32());
            Assert.Empty(await after.ActiveAlarmsAsync(lockId));
            await after.AssertLedgerIntactAsync(office.SealId);
            loop.Run(device.Shutdown);
            second.AssertNoErrors();
        }
        finally
        {
            RestartableCloud.DeleteDataDirectory(data);
        }
    }
}
