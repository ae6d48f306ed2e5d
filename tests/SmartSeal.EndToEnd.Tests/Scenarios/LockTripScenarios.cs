using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.EndToEnd.Tests.Scenarios;

/// <summary>
/// Mission scenarios of a portable-lock trip, real lock firmware against the real cloud: over count,
/// the window ending while the seal is out, a remote disable while online, tamper, and a lock that
/// stays away too long. (Within limits, outside the fence and disable-while-offline are in
/// Cloud.Tests' <c>CheckoutEndToEndTests</c>.)
/// </summary>
public class LockTripScenarios : MissionTest<E2eCloudFactory>
{
    public LockTripScenarios(E2eCloudFactory cloud)
        : base(cloud)
    {
    }

    [Fact]
    public async Task Presses_beyond_the_approved_count_are_refused_and_repeated_tries_raise_an_alarm()
    {
        SealOffice office = await Mission.OfficeAsync();
        using LockTrip trip = await Mission.LockOnTripAsync(office, stamps: 1);
        (string lockId, SimulatedLock device, DeviceLoop loop, string applicationId) = trip;
        await Mission.StampAsync(device, loop, 1);

        // Someone keeps pressing: every press is refused, and the fifth within ten minutes is an alarm.
        int tries = device.Settings.RepeatedRefusals;
        for (int press = 1; press <= tries; press++)
        {
            await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle");
            loop.Run(device.PressButton);
            int expected = press;
            await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "refused") == expected, $"refusal {press} stored");
        }

        Assert.Equal(1, device.Bolt.UnlockCount);
        Assert.Equal(0, device.State!.Remaining);
        Assert.All(await Mission.BodiesAsync(lockId, "refused"), body => Assert.Contains("\"reason\":\"uses-exhausted\"", body));
        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(lockId)).Contains("repeated-refusals"), "repeated-refusals raised");
        await Mission.WebhookAsync(Cloud.Receiver, lockId, "repeated-refusals");

        JsonElement token = (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0];
        Assert.Equal((1, 1, tries), (token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32(), token.GetProperty("refusals").GetInt32()));
        Assert.DoesNotContain(CheckoutAlarms.TokenOveruse, await Mission.ActiveAlarmsAsync(lockId));
        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        Assert.Single(ledger, e => e.GetProperty("kind").GetString() == "stamp");
        JsonElement[] refusals = ledger.Where(e => e.GetProperty("kind").GetString() == "refusal").ToArray();
        Assert.Equal(tries, refusals.Length);
        Assert.All(refusals, r => Assert.Equal(("uses-exhausted", applicationId), (r.GetProperty("fields").GetProperty("reason").GetString(), r.GetProperty("applicationId").GetString())));
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    [Fact]
    public async Task When_the_window_ends_mid_trip_the_lock_refuses_with_token_expired_and_the_sweeper_raises_overdue_return()
    {
        SealOffice office = await Mission.OfficeAsync();
        long windowTo = Mission.Now() + 20_000;
        var clock = new ShiftedClock();
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await Mission.OnlineLockAsync(lockId, clock);
        using var trip = new LockTrip(lockId, device, loop, await Mission.LockTripAsync(office, device, 3, windowTo));
        string applicationId = trip.ApplicationId;
        await Mission.StampAsync(device, loop, 1);

        // The window ends while the seal is still out: the lock's calendar moves past it, and the
        // cloud's sweep is asked at that same moment.
        clock.Shift(TimeSpan.FromMilliseconds(windowTo - Mission.Now() + 1_200));
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle");
        loop.Run(device.PressButton);
        await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "refused") == 1, "the late press was refused");
        Assert.Contains("\"reason\":\"token-expired\"", Assert.Single(await Mission.BodiesAsync(lockId, "refused")));
        Assert.Equal(1, device.Bolt.UnlockCount);
        Assert.Equal(2, device.State!.Remaining);

        long sweptAt = clock.UtcNowMs;
        Assert.Equal(1, await Cloud.Service<CheckoutSweeper>().SweepAsync(sweptAt));
        Assert.Equal(0, await Cloud.Service<CheckoutSweeper>().SweepAsync(sweptAt));
        Assert.Contains(CheckoutAlarms.OverdueReturn, await Mission.ActiveAlarmsAsync(lockId));
        await Mission.WebhookAsync(Cloud.Receiver, lockId, CheckoutAlarms.OverdueReturn);
        JsonElement view = await Mission.CheckoutAsync(office, applicationId);
        Assert.Equal(sweptAt, view.GetProperty("checkout").GetProperty("overdueMs").GetInt64()); // "overdue" in the view is judged on the cloud's own, unshifted clock
        Assert.Equal("out", view.GetProperty("checkout").GetProperty("status").GetString());
        Assert.Equal(("lock", lockId), await Mission.SealLocationAsync(office));

        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        Assert.Equal(["stamp", "refusal"], Mission.Kinds(ledger).Where(k => k is "stamp" or "refusal"));
        Assert.Equal("token-expired", ledger.Last(e => e.GetProperty("kind").GetString() == "refusal").GetProperty("fields").GetProperty("reason").GetString());

        // The keeper takes it back: the overdue alarm clears.
        await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/return", new { }));
        Assert.DoesNotContain(CheckoutAlarms.OverdueReturn, await Mission.ActiveAlarmsAsync(lockId));
        await Mission.WebhookAsync(Cloud.Receiver, lockId, CheckoutAlarms.OverdueReturn, "cleared");
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    [Fact]
    public async Task A_remote_disable_while_online_is_applied_at_once_with_its_acknowledgement_time_and_enable_restores_stamping()
    {
        SealOffice office = await Mission.OfficeAsync();
        using LockTrip trip = await Mission.LockOnTripAsync(office, stamps: 2);
        (string lockId, SimulatedLock device, DeviceLoop loop, string applicationId) = trip;

        JsonElement hold = await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/disable", new { reason = "合同作废" }));
        Assert.Equal(lockId, hold.GetProperty("lockId").GetString());
        long version = hold.GetProperty("lock").GetProperty("desiredState").GetProperty("version").GetInt64();
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Disabled), "the lock applied the disable");
        await Mission.WaitUntilAsync(async () => (await DesiredAsync(lockId)).GetProperty("acknowledged").GetBoolean(), "the cloud recorded the acknowledgement");
        JsonElement desired = await DesiredAsync(lockId);
        Assert.Equal((false, version, version), (desired.GetProperty("enabled").GetBoolean(), desired.GetProperty("version").GetInt64(), desired.GetProperty("appliedVersion").GetInt64()));
        Assert.InRange(desired.GetProperty("acknowledgedAfterMs").GetInt64(), 0, 20_000);

        loop.Run(device.PressButton);
        await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "refused") == 1, "the press was refused");
        Assert.Contains("\"reason\":\"disabled\"", Assert.Single(await Mission.BodiesAsync(lockId, "refused")));
        Assert.Equal(0, device.Bolt.UnlockCount);

        await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/enable", new { reason = "核实无误" }));
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle && device.State.Enabled), "enabled again");
        await Mission.StampAsync(device, loop, 1);
        JsonElement token = (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0];
        Assert.Equal(1, token.GetProperty("used").GetInt32());

        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        Assert.Equal(["disable", "enable"], ledger.Where(e => e.GetProperty("kind").GetString() == "custody")
            .Select(e => e.GetProperty("fields").GetProperty("action").GetString()).Where(a => a is "disable" or "enable"));
        Assert.Equal(["refusal", "stamp"], Mission.Kinds(ledger).Where(k => k is "stamp" or "refusal"));
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    [Fact]
    public async Task Opening_the_lock_case_raises_tamper_refuses_every_press_and_closing_it_clears_the_alarm()
    {
        SealOffice office = await Mission.OfficeAsync();
        using LockTrip trip = await Mission.LockOnTripAsync(office, stamps: 2);
        (string lockId, SimulatedLock device, DeviceLoop loop, _) = trip;

        loop.Run(() => device.SetTamper(true));
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Tampered), "the lock is in tampered mode");
        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(lockId)).Contains(AlarmTypes.Tamper), "the tamper alarm reached the cloud");
        JsonElement hook = await Mission.WebhookAsync(Cloud.Receiver, lockId, AlarmTypes.Tamper);
        Assert.Equal("critical", hook.GetProperty("severity").GetString());
        Assert.Equal(1, await Mission.CountAsync(lockId, "tamper"));

        loop.Run(device.PressButton);
        await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "refused") == 1, "the press was refused");
        Assert.Contains("\"reason\":\"tampered\"", Assert.Single(await Mission.BodiesAsync(lockId, "refused")));
        Assert.Equal(0, device.Bolt.UnlockCount);

        loop.Run(() => device.SetTamper(false));
        await Mission.WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "closed again: idle");
        await Mission.WaitUntilAsync(async () => !(await Mission.ActiveAlarmsAsync(lockId)).Contains(AlarmTypes.Tamper), "the device cleared the tamper alarm");
        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        Assert.Equal("tampered", ledger.Single(e => e.GetProperty("kind").GetString() == "refusal").GetProperty("fields").GetProperty("reason").GetString());
        await Mission.AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
    }

    [Fact]
    public async Task A_lock_away_longer_than_its_threshold_raises_offline_too_long_and_its_return_clears_it()
    {
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await Mission.OnlineLockAsync(lockId);
        using DeviceLoop running = loop;
        AlarmRules rules = Cloud.Service<AlarmRules>();

        loop.Run(() => device.Network.Down());
        await Mission.WaitUntilAsync(async () => !(await Cloud.Service<DeviceRepository>().FindAsync(lockId))!.Online, "the cloud saw the lock go (its last will)");
        // The rules take their now as an argument: the threshold is passed by evaluating later, not by waiting.
        long Later() => Mission.Now() + (long)(E2eCloudFactory.LockOfflineAfter + TimeSpan.FromMilliseconds(500)).TotalMilliseconds;
        IReadOnlyList<AlarmChange> changes = await rules.EvaluateAsync(Later());
        Assert.Contains(changes, c => c.DeviceId == lockId && c.Type == AlarmTypes.OfflineTooLong);
        JsonElement hook = await Mission.WebhookAsync(Cloud.Receiver, lockId, AlarmTypes.OfflineTooLong);
        Assert.Contains("offline for", hook.GetProperty("detail").GetString());
        Assert.Contains(AlarmTypes.OfflineTooLong, await Mission.ActiveAlarmsAsync(lockId));
        Assert.DoesNotContain(await rules.EvaluateAsync(Later()), c => c.DeviceId == lockId && c.Kind == AlarmChangeKind.Raised);

        loop.Run(() => device.Network.Up());
        await Mission.WaitUntilAsync(async () => (await Cloud.Service<DeviceRepository>().FindAsync(lockId))!.Online, "back online");
        await Mission.WaitUntilAsync(async () =>
        {
            await rules.EvaluateAsync(Mission.Now());
            return !(await Mission.ActiveAlarmsAsync(lockId)).Contains(AlarmTypes.OfflineTooLong);
        }, "the rule cleared offline-too-long");
        await Mission.WebhookAsync(Cloud.Receiver, lockId, AlarmTypes.OfflineTooLong, "cleared");
        loop.Run(device.Shutdown);
    }

    private async Task<JsonElement> DesiredAsync(string lockId)
    {
        // The trip's lock is a pool lock of no unit: its own record is for sysadmins (the keeper acted on the seal, which is theirs).
        HttpResponseMessage response = await Cloud.AdminClient().GetAsync($"/api/devices/{lockId}/desired-state");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
