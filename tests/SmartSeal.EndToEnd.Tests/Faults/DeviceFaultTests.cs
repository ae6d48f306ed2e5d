using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// Device-side faults seen from the real cloud: the network gone for a while with stamps and an
/// alarm buffered, and the power failing at every flash write of a stamp. The firmware side of the
/// power cuts (bolt and remaining count) is Simulators.Tests' <c>FaultTests</c> against a harness
/// cloud; here the question is the cloud's: no extra stamp counted, no duplicate ledger entry.
/// </summary>
public class DeviceFaultTests : MissionTest<E2eCloudFactory>
{
    public DeviceFaultTests(E2eCloudFactory cloud)
        : base(cloud)
    {
    }

    [Fact]
    public async Task Stamps_and_a_tamper_alarm_made_while_the_network_was_down_arrive_once_when_it_is_back()
    {
        SealOffice office = await Mission.OfficeAsync();
        using LockTrip trip = await Mission.LockOnTripAsync(office, stamps: 4);
        (string lockId, SimulatedLock device, DeviceLoop loop, string applicationId) = trip;
        await Mission.StampAsync(device, loop, 1);

        loop.Run(() => device.Network.Down());
        await Mission.WaitUntilAsync(async () => !(await Cloud.Service<DeviceRepository>().FindAsync(lockId))!.Online, "the cloud saw the lock go");
        for (int stamp = 2; stamp <= 3; stamp++)
        {
            await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle");
            loop.Run(device.PressButton);
            await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), $"open offline for stamp {stamp}");
            loop.Run(device.Stamp);
        }

        loop.Run(() => device.SetTamper(true));
        loop.Run(() => device.SetTamper(false));
        await Task.Delay(2_000); // a while away; nothing may trickle through
        Assert.Equal(1, await Mission.CountAsync(lockId, "stamped"));
        Assert.Equal(0, await Mission.CountAsync(lockId, "tamper"));
        int buffered = device.Queue.Count;
        Assert.True(buffered >= 4, $"{buffered} events wait on flash");

        loop.Run(() => device.Network.Up());
        await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0), "the outbox drained");
        await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "stamped") == 3, "the offline stamps arrived");
        Assert.Equal(2, await Mission.CountAsync(lockId, "tamper"));
        await Mission.WebhookAsync(Cloud.Receiver, lockId, AlarmTypes.Tamper);
        await Mission.WebhookAsync(Cloud.Receiver, lockId, AlarmTypes.Tamper, "cleared");
        Assert.DoesNotContain(AlarmTypes.Tamper, await Mission.ActiveAlarmsAsync(lockId));

        string[] sources = await Mission.LedgerSourcesAsync(office.SealId, "stamp");
        Assert.Equal(3, sources.Length);
        Assert.Equal(3, sources.Distinct().Count());
        Assert.Equal(3, (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0].GetProperty("used").GetInt32());
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    /// <summary>
    /// One-use token, press and stamp, with the power failing at flash write n for every n the flow
    /// performs; after the reboot someone tries again. The cloud must count at most the one stamp the
    /// bolt allowed, once, in the ledger and on the token.
    /// </summary>
    [Fact]
    public async Task A_power_cut_at_any_flash_write_of_a_stamp_never_adds_a_stamp_or_a_ledger_entry_in_the_cloud()
    {
        SealOffice office = await Mission.OfficeAsync();
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await Mission.OnlineLockAsync(lockId);
        using DeviceLoop running = loop;

        // How many flash writes one stamp flow makes, measured on an uncut flow.
        string first = await Mission.LockTripAsync(office, device, stamps: 1);
        int before = device.Flash.MutationCount;
        await Mission.StampAsync(device, loop, 1);
        await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0 && device.State!.Mode == LockMode.Idle), "settled");
        int writes = device.Flash.MutationCount - before;
        Assert.True(writes >= 3, $"a stamp flow makes {writes} flash writes");
        await ReturnAsync(office, first, device);

        var outcomes = new List<string>();
        for (int cutAt = 0; cutAt < writes; cutAt++)
        {
            string applicationId = await Mission.LockTripAsync(office, device, stamps: 1);
            int unlocksBefore = device.Bolt.UnlockCount;
            long unlockRecordsBefore = await Mission.CountAsync(lockId, "unlocked");
            long stampRecordsBefore = await Mission.CountAsync(lockId, "stamped");
            loop.Run(() => device.Flash.CutPowerAfter(cutAt));
            await TryStampAsync(device, loop);
            await Mission.WaitUntilAsync(() => Task.FromResult(device.PoweredOn && device.Link.IsConnected && device.State != null), $"cut at {cutAt}: rebooted and back online");
            loop.Run(device.Flash.RestorePower);
            if (device.State!.Token != null && device.State.Remaining > 0)
            {
                await TryStampAsync(device, loop); // the use was not spent: try again
            }
            else
            {
                loop.Run(device.PressButton); // spent: a second press must be refused
            }

            // Drained means acknowledged, and the cloud acknowledges after its checkout and ledger handlers committed.
            await Mission.WaitUntilAsync(() => Task.FromResult(device.Queue.Count == 0), $"cut at {cutAt}: the outbox drained");
            long used = (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0].GetProperty("used").GetInt32();
            int ledgerStamps = await LedgerStampsAsync(office.SealId, applicationId);
            int opened = device.Bolt.UnlockCount - unlocksBefore;
            long unlockRecords = await Mission.CountAsync(lockId, "unlocked") - unlockRecordsBefore;
            long stampRecords = await Mission.CountAsync(lockId, "stamped") - stampRecordsBefore;
            string outcome = $"cut at write {cutAt}: bolt opened {opened}, {unlockRecords} unlock and {stampRecords} stamp records, {used} used, {ledgerStamps} ledger stamps, {device.PowerCuts} power cuts so far";
            outcomes.Add(outcome);

            // At most one opening on a one-use token; every opening on record in the cloud, once (the record
            // is written before the bolt moves, so a cut between the two leaves a record without an opening);
            // no stamp without an opening; the token and the ledger count each stamp once.
            Assert.InRange(opened, 0, 1);
            Assert.True(unlockRecords >= opened && unlockRecords <= 1, outcome);
            Assert.True(stampRecords <= opened, outcome);
            Assert.True(used == stampRecords && ledgerStamps == stampRecords, outcome);
            await ReturnAsync(office, applicationId, device);
        }

        // Some writes (position reports) come and go with timing, so not every n hits the flow; most must.
        Assert.True(device.PowerCuts >= writes / 2, string.Join("\n", outcomes));
        int totalUnlocks = device.Bolt.UnlockCount;
        string[] sources = await Mission.LedgerSourcesAsync(office.SealId, "stamp");
        Assert.Equal(sources.Length, sources.Distinct().Count());
        Assert.True(sources.Length <= totalUnlocks, $"{sources.Length} ledger stamps for {totalUnlocks} bolt openings\n" + string.Join("\n", outcomes));
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    private static async Task TryStampAsync(SimulatedLock device, DeviceLoop loop)
    {
        await Mission.WaitUntilAsync(() => Task.FromResult(!device.PoweredOn || device.State?.Mode == LockMode.Idle), "idle or off");
        loop.Run(device.PressButton);
        await Task.Delay(300); // power-cut sweep: the flow may stop at any flash write, so there is no one state to await
        loop.Run(device.Stamp);
        await Task.Delay(300); // power-cut sweep: as above
    }

    private async Task ReturnAsync(SealOffice office, string applicationId, SimulatedLock device)
    {
        await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/return", new { }));
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State?.Token == null), "the lock dropped the returned trip's token");
    }

    private async Task<int> LedgerStampsAsync(string sealId, string applicationId)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ledger_entries WHERE seal_id = @sealId AND kind = 'stamp' AND application_id = @applicationId", new { sealId, applicationId });
    }
}
