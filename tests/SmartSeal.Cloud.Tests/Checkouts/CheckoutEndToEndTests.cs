using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cloud.Tests.Checkouts;

/// <summary>
/// The whole way of a seal out and back, with the real firmware (simulators' host over MQTTnet)
/// against the real cloud: a cabinet collection and return, and a portable-lock trip with stamps
/// inside the approved limits and refusals beyond them — each ending in a ledger that verifies.
/// </summary>
public class CheckoutEndToEndTests : CloudTest<CloudFactory>
{
    private const double Lat = 22.54;
    private const double Lon = 114.06;
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public CheckoutEndToEndTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task A_seal_is_stowed_collected_from_the_cabinet_and_returned_with_every_step_in_the_ledger()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop loop) = await OnlineCabinetAsync(cabinetId, 4);
        using DeviceLoop running = loop;

        // The keeper stows the seal in compartment 2: the cabinet opens for its tag and reports it returned.
        JsonElement opening = await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/stow", new { cabinetId, compartment = 2 }));
        Assert.Equal(2, opening.GetProperty("compartment").GetInt32());
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[1].Mode == CompartmentMode.Returning), "compartment 2 opened for the seal");
        await PutSealAsync(loop, cabinet, 2, office.Tag);
        await Eventually.Async(async () => (await SealAsync(office)).GetProperty("locationRef").GetString() == $"{cabinetId}/2", "the seal is in compartment 2");

        // An approved cabinet application; the keeper (no face gate here) dispenses it.
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "cabinet", stamps: 2));
        JsonElement awaiting = await OkAsync(await office.ApplicantClient.GetAsync($"/api/checkouts/{applicationId}"));
        Assert.Equal("awaiting", awaiting.GetProperty("checkout").GetProperty("status").GetString());

        JsonElement dispensing = await OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{applicationId}/dispense", null));
        Assert.Equal("dispensing", dispensing.GetProperty("status").GetString());
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[1].Mode == CompartmentMode.Dispensing), "the cabinet accepted the token and released compartment 2");
        await TakeSealAsync(loop, cabinet, 2);
        await Eventually.Async(async () => await CheckoutStatusAsync(office, applicationId) == "out", "the dispensed event marked the checkout out");
        JsonElement seal = await SealAsync(office);
        Assert.Equal(("person", office.Applicant), (seal.GetProperty("locationKind").GetString(), seal.GetProperty("locationRef").GetString()));

        // A second dispense of the same application is refused: the token was single-use and the seal is out.
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{applicationId}/dispense", null), HttpStatusCode.Conflict, "out");

        // The return: the compartment opens for that seal only; the right tag goes back in.
        await OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{applicationId}/accept-return", null));
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[1].Mode == CompartmentMode.Returning), "compartment 2 opened for the return");
        await PutSealAsync(loop, cabinet, 2, office.Tag);
        await Eventually.Async(async () => await CheckoutStatusAsync(office, applicationId) == "returned", "the returned event closed the checkout");
        Assert.Equal($"{cabinetId}/2", (await SealAsync(office)).GetProperty("locationRef").GetString());

        JsonElement view = await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"));
        JsonElement token = view.GetProperty("tokens").EnumerateArray().Single();
        Assert.Equal(("cabinet", 1, 1, 2), (token.GetProperty("mode").GetString(), token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32(), token.GetProperty("compartment").GetInt32()));

        JsonElement entries = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}");
        string[] kinds = entries.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).Reverse().ToArray();
        Assert.Equal(["return", "dispense", "return"], kinds.Where(k => k is "dispense" or "return"));
        JsonElement dispense = entries.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "dispense");
        JsonElement fields = dispense.GetProperty("fields");
        Assert.Equal(applicationId, dispense.GetProperty("applicationId").GetString());
        Assert.Equal(office.Applicant, fields.GetProperty("applicant").GetString());
        Assert.Equal("深圳市分公司", fields.GetProperty("applicantUnit").GetString());
        Assert.Contains(office.Head, fields.GetProperty("approvers").GetString());
        Assert.Contains(office.Owner, fields.GetProperty("approvers").GetString());
        await AssertLedgerIntactAsync(office.SealId);
        Assert.Empty(await ActiveAlarmsAsync(cabinetId));
        loop.Run(cabinet.Shutdown);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task The_face_gate_recognising_the_applicant_dispenses_their_seal_and_recognising_them_again_opens_it_for_the_return()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop loop) = await OnlineCabinetAsync(cabinetId, 2);
        using DeviceLoop running = loop;
        await StowAsync(office, cabinet, loop, 1);
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "cabinet", stamps: 1));

        string gateId = OrgWorld.Unique("gate");
        await using DeviceClient gate = await DeviceClient.ConnectAsync(_cloud.MqttPort, gateId, await _cloud.ProvisionAsync(gateId, SmartSeal.Cloud.Devices.DeviceKind.Gate));
        FaceMatchBody Match(string subject) => new() { Subject = subject, CabinetId = cabinetId, Score = 7200, Margin = 2100, Liveness = 9500, Frames = 3, TemplateVersion = "w600k-r50/1" };

        // Someone with no approved collection here is recognised: nothing opens.
        await gate.SendAsync(Match(office.Head));
        await gate.WaitForAckAsync(gate.NextSeq - 1); // acknowledged after the gate decision was handled
        Assert.Equal("awaiting", await CheckoutStatusAsync(office, applicationId));
        Assert.Equal(CompartmentMode.Locked, cabinet.Compartments[0].Mode);

        // The applicant: the cabinet gets a dispense with a token for compartment 1.
        await gate.SendAsync(Match(office.Applicant));
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Dispensing), "the gate's decision released compartment 1");
        await TakeSealAsync(loop, cabinet, 1);
        await Eventually.Async(async () => await CheckoutStatusAsync(office, applicationId) == "out", "collected");

        // Recognised again with the seal out: the same compartment opens for the return.
        await gate.SendAsync(Match(office.Applicant));
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Returning), "the gate's second decision opened compartment 1 for the return");
        await PutSealAsync(loop, cabinet, 1, office.Tag);
        await Eventually.Async(async () => await CheckoutStatusAsync(office, applicationId) == "returned", "returned");
        await AssertLedgerIntactAsync(office.SealId);

        // The dispense entry names the gate decision behind it; every decision is on the gate's chain.
        JsonElement dispense = (await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}")).EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "dispense");
        Assert.Equal((gateId, office.Applicant), (dispense.GetProperty("fields").GetProperty("gate").GetString(), dispense.GetProperty("fields").GetProperty("gateSubject").GetString()));
        JsonElement[] decisions = (await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal=device:{gateId}")).EnumerateArray().ToArray();
        Assert.Equal(3, decisions.Count(e => e.GetProperty("kind").GetString() == "face-match"));
        await AssertLedgerIntactAsync($"device:{gateId}");
        loop.Run(cabinet.Shutdown);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Stamps_beyond_the_tokens_count_or_reported_out_of_order_raise_reconciliation_alarms()
    {
        (SealOffice office, string lockId, byte[] key, string applicationId, string jti) = await BoundLockAsync(stamps: 1);

        // A lock that does not enforce its token (tampered firmware, or forged records): seq 5, then
        // seq 4 made a minute later — its seq and clock orders contradict each other.
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await device.PublishAsync(StampTopic(lockId), device.Sign(new StampedBody { AttemptId = "att-5", TokenId = jti }, seq: 5, timeMs: now));
        await device.WaitForAckAsync(5);
        Assert.Empty(await ActiveAlarmsAsync(lockId));
        await device.PublishAsync(StampTopic(lockId), device.Sign(new StampedBody { AttemptId = "att-4", TokenId = jti }, seq: 4, timeMs: now + 60_000));
        await device.WaitForAckAsync(4);
        Assert.Equal([CheckoutAlarms.TokenOveruse, CheckoutAlarms.UseOutOfOrder], (await ActiveAlarmsAsync(lockId)).Order());
        JsonElement token = (await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
        Assert.Equal((1, 2), (token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32()));
    }

    [Fact]
    public async Task Stamps_arriving_out_of_seq_order_but_made_in_order_raise_no_alarm()
    {
        (SealOffice office, string lockId, byte[] key, string applicationId, string jti) = await BoundLockAsync(stamps: 3);

        // Two cloud instances, or a resend after a failover: seq 7 arrives before seq 6, but the
        // device made 6 first. Nothing contradicts itself, so no alarm; every use is counted.
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach ((long seq, long atMs) in new[] { (7L, now + 2000), (6L, now + 1000), (8L, now + 3000) })
        {
            await device.PublishAsync(StampTopic(lockId), device.Sign(new StampedBody { AttemptId = $"att-{seq}", TokenId = jti }, seq: seq, timeMs: atMs));
            await device.WaitForAckAsync(seq);
        }

        Assert.Empty(await ActiveAlarmsAsync(lockId));
        JsonElement token = (await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
        Assert.Equal((3, 3), (token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32()));
        _cloud.AssertNoErrors();
    }

    private static string StampTopic(string lockId) => DeviceTopics.For(lockId, TopicKind.Events);

    /// <summary>A provisioned lock (no firmware: the test speaks for it) with an approved trip of <paramref name="stamps"/> bound into it.</summary>
    private async Task<(SealOffice Office, string LockId, byte[] Key, string ApplicationId, string Jti)> BoundLockAsync(int stamps)
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string lockId = OrgWorld.Unique("lock");
        byte[] key = await _cloud.ProvisionAsync(lockId);
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps));
        JsonElement bound = await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId }));
        return (office, lockId, key, applicationId, bound.GetProperty("tokenId").GetString()!);
    }

    [Fact]
    public async Task Stamps_sent_together_are_counted_one_by_one_whatever_batches_they_arrive_in()
    {
        (SealOffice office, string lockId, byte[] key, string applicationId, string jti) = await BoundLockAsync(stamps: 2);

        // Sent without waiting for acks, so the cloud usually takes them in one ingest batch: the
        // third use is over the count and seq 4 made after seq 5 contradicts it, exactly as one by one.
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach ((long seq, long atMs) in new[] { (5L, now), (4L, now + 1000), (6L, now + 2000) })
        {
            await device.PublishAsync(StampTopic(lockId), device.Sign(new StampedBody { AttemptId = $"att-{seq}", TokenId = jti }, seq: seq, timeMs: atMs));
        }

        foreach (long seq in new long[] { 5, 4, 6 })
        {
            await device.WaitForAckAsync(seq);
        }

        Assert.Equal([CheckoutAlarms.TokenOveruse, CheckoutAlarms.UseOutOfOrder], (await ActiveAlarmsAsync(lockId)).Order());
        JsonElement token = (await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
        Assert.Equal((2, 3), (token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32()));
        JsonElement[] stamps = (await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}&kind=stamp")).EnumerateArray().ToArray();
        Assert.Equal(["att-4", "att-5", "att-6"], stamps.Select(e => e.GetProperty("fields").GetProperty("attempt").GetString()).Order());
        await AssertLedgerIntactAsync(office.SealId);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task An_inventory_check_asks_the_cabinet_for_its_tags_and_compares_them_with_the_register()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop loop) = await OnlineCabinetAsync(cabinetId, 3);
        using DeviceLoop running = loop;
        await StowAsync(office, cabinet, loop, 2);

        // A second seal of the province that the register places nowhere the devices can see.
        HttpResponseMessage registered = await office.KeeperClient.PostAsJsonAsync("/api/seals", new { name = "财务专用章", type = "finance", unitId = office.Province, level = 1 });
        string other = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{other}/transitions", new { action = "engrave" })).StatusCode);

        // The cabinet must be asked: give it the province as its unit.
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE devices SET org_unit = @unit WHERE id = @cabinetId", new { unit = office.Province, cabinetId });
        }

        HttpResponseMessage started = await office.KeeperClient.PostAsJsonAsync("/api/inventory-checks", new { unitId = office.Province });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        long check = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        JsonElement result = default;
        await Eventually.Async(async () =>
        {
            result = await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/inventory-checks/{check}");
            return result.GetProperty("found").GetArrayLength() > 0;
        }, "the cabinet's tag report reached the check");

        JsonElement found = result.GetProperty("found").EnumerateArray().Single();
        Assert.Equal((office.SealId, office.Tag, cabinetId), (found.GetProperty("sealId").GetString(), found.GetProperty("rfidTag").GetString(), found.GetProperty("source").GetString()));
        JsonElement[] discrepancies = result.GetProperty("discrepancies").EnumerateArray().ToArray();
        Assert.Equal(["no-tag"], discrepancies.Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal(other, discrepancies[0].GetProperty("sealId").GetString());
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_lock_trip_stamps_within_the_approved_limits_refuses_beyond_them_and_ends_with_the_token_revoked()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await OnlineLockAsync(lockId, new SyntheticRoute(Lat, Lon, 20, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        using DeviceLoop running = loop;

        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps: 2));

        // Binding checks the seal's tag and the lock; a wrong tag is refused.
        await OrgWorld.AssertProblemAsync(
            await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId, tag = "E2800000000000FF" }), HttpStatusCode.Conflict, "wrong seal");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId = "no-such-lock" }), HttpStatusCode.BadRequest, "no portable lock");
        JsonElement bound = await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId, tag = office.Tag }));
        Assert.Equal("out", bound.GetProperty("status").GetString());
        Assert.Equal(("lock", lockId), ((await SealAsync(office)).GetProperty("locationKind").GetString(), (await SealAsync(office)).GetProperty("locationRef").GetString()));
        await Eventually.Async(() => Task.FromResult(device.State!.Token != null), "the token arrived in the lock's desired state");

        // Two approved stamps, then a third press is refused: the count is used up.
        for (int stamp = 1; stamp <= 2; stamp++)
        {
            await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Idle && device.GnssFeed?.Fixes > 0), $"idle with a fix before stamp {stamp}");
            loop.Run(device.PressButton);
            await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), $"unlocked for stamp {stamp}");
            loop.Run(device.Stamp);
            int expected = stamp;
            await Eventually.Async(async () => await CountAsync(lockId, "stamped") == expected, $"stamp {stamp} reached the cloud");
        }

        await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "relocked after the second stamp");
        loop.Run(device.PressButton);
        await Eventually.Async(async () => await CountAsync(lockId, "refused") >= 1, "the third press was refused and reported");
        Assert.Equal(2, device.Bolt.UnlockCount);

        JsonElement view = await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"));
        JsonElement token = view.GetProperty("tokens").EnumerateArray().Single();
        Assert.Equal((2, 2), (token.GetProperty("uses").GetInt32(), token.GetProperty("used").GetInt32()));
        Assert.True(token.GetProperty("refusals").GetInt32() >= 1);

        // The return ends the trip: the token is revoked and the lock told, so even a replayed token could not open it again.
        JsonElement returned = await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/return", new { }));
        Assert.Equal("returned", returned.GetProperty("status").GetString());
        Assert.Equal(("person", office.Keeper), ((await SealAsync(office)).GetProperty("locationKind").GetString(), (await SealAsync(office)).GetProperty("locationRef").GetString()));
        await Eventually.Async(() => Task.FromResult(device.State!.Token == null), "the lock dropped the token");
        JsonElement revoked = (await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
        Assert.Equal("returned", revoked.GetProperty("revokedReason").GetString());

        JsonElement entries = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}");
        JsonElement[] stamps = entries.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "stamp").ToArray();
        Assert.Equal(2, stamps.Length);
        Assert.All(stamps, s =>
        {
            Assert.Equal(applicationId, s.GetProperty("applicationId").GetString());
            Assert.Equal(lockId, s.GetProperty("deviceId").GetString());
            Assert.Equal("签订采购合同", s.GetProperty("fields").GetProperty("purpose").GetString());
            Assert.InRange(double.Parse(s.GetProperty("fields").GetProperty("lat").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Lat - 0.01, Lat + 0.01);
        });
        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("kind").GetString() == "refusal");
        await AssertLedgerIntactAsync(office.SealId);
        Assert.Empty(await ActiveAlarmsAsync(lockId));
        loop.Run(device.Shutdown);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Disabling_a_seal_while_its_lock_is_offline_is_applied_on_reconnect_before_any_stamp_and_enabling_restores_it()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await OnlineLockAsync(lockId, new SyntheticRoute(Lat, Lon, 20, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        using DeviceLoop running = loop;
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps: 3));
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId }));
        await Eventually.Async(() => Task.FromResult(device.State!.Token != null), "the token arrived");

        // The lock goes offline; the keeper disables the seal meanwhile.
        loop.Run(() => device.Link.Disconnect("sleep"));
        await Eventually.Async(async () => !(await _cloud.Service<DeviceRepository>().FindAsync(lockId))!.Online, "the cloud saw the lock go offline");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/disable", new { }), HttpStatusCode.BadRequest, "reason");
        JsonElement hold = await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/disable", new { reason = "印章疑似被挪用" }));
        Assert.Equal((true, lockId), (hold.GetProperty("disabled").GetBoolean(), hold.GetProperty("lockId").GetString()));
        Assert.Equal("queued", hold.GetProperty("lock").GetProperty("command").GetProperty("status").GetString());
        Assert.True(device.State!.Enabled, "nothing reached the lock while it was offline");

        // Back online: disabled before anything else, so the press is refused.
        loop.Run(device.Link.Resume);
        await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Disabled), "the lock applied the disable on reconnect");
        loop.Run(device.PressButton);
        await Eventually.Async(async () => await CountAsync(lockId, "refused") == 1, "the press was refused");
        Assert.Equal(0, device.Bolt.UnlockCount);

        // Enabled again: the same token stamps.
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/enable", new { reason = "核实无误" }));
        await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Idle && device.GnssFeed?.Fixes > 0), "enabled and idle with a fix");
        loop.Run(device.PressButton);
        await Eventually.Async(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), "unlocked after re-enabling");
        loop.Run(device.Stamp);
        await Eventually.Async(async () => await CountAsync(lockId, "stamped") == 1, "the stamp reached the cloud");

        JsonElement entries = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}");
        Assert.Equal(["disable", "enable"], entries.EnumerateArray().Reverse().Where(e => e.GetProperty("kind").GetString() == "custody")
            .Select(e => e.GetProperty("fields").GetProperty("action").GetString()).Where(a => a is "disable" or "enable"));
        await AssertLedgerIntactAsync(office.SealId);

        // The lock's own chain: each remote change and the lock's acknowledgement of it, with the time between them.
        JsonElement[] chain = (await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal=device:{lockId}")).EnumerateArray().Reverse().ToArray();
        Assert.Equal(["remote-state", "remote-state-applied", "remote-state", "remote-state-applied"], chain.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(["disable", "enable"], chain.Where(e => e.GetProperty("kind").GetString() == "remote-state").Select(e => e.GetProperty("fields").GetProperty("action").GetString()));
        Assert.All(chain.Where(e => e.GetProperty("kind").GetString() == "remote-state-applied"),
            e => Assert.True(long.Parse(e.GetProperty("fields").GetProperty("afterMs").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 0));
        await AssertLedgerIntactAsync($"device:{lockId}");
        loop.Run(device.Shutdown);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_lock_outside_the_approved_area_refuses_and_the_stamps_stay_zero()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string lockId = OrgWorld.Unique("lock");

        // Five kilometres north of the approved circle.
        (SimulatedLock device, DeviceLoop loop) = await OnlineLockAsync(lockId, new SyntheticRoute(Lat + 0.045, Lon, 20, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        using DeviceLoop running = loop;
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps: 3));
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId }));
        await Eventually.Async(() => Task.FromResult(device.State!.Token != null && device.GnssFeed?.Fixes > 0), "token and fix");

        loop.Run(device.PressButton);
        await Eventually.Async(async () => await CountAsync(lockId, "refused") == 1, "the press was refused");
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        string body = await connection.ExecuteScalarAsync<string>("SELECT body FROM device_messages WHERE device_id = @lockId AND type = 'refused'", new { lockId }) ?? "";
        Assert.Contains("\"reason\":\"outside-geofence\"", body);
        Assert.Equal(0, device.Bolt.UnlockCount);
        JsonElement token = (await OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("tokens")[0];
        Assert.Equal((0, 1), (token.GetProperty("used").GetInt32(), token.GetProperty("refusals").GetInt32()));
        await AssertLedgerIntactAsync(office.SealId);
        loop.Run(device.Shutdown);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Impossible_steps_are_refused_with_problem_details()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string cabinetApplication = await office.ApprovedApplicationAsync(Request(office.SealId, "cabinet", stamps: 1));

        // A cabinet application cannot be bound into a lock; its seal is not in a cabinet yet, so it cannot be dispensed.
        string lockId = OrgWorld.Unique("lock");
        await _cloud.ProvisionAsync(lockId);
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{cabinetApplication}/bind", new { lockId }), HttpStatusCode.Conflict, "not a portable lock");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{cabinetApplication}/dispense", null), HttpStatusCode.Conflict, "not in a cabinet");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsync($"/api/checkouts/no-such-application/dispense", null), HttpStatusCode.NotFound, "no-such-application");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{cabinetApplication}/revoke", new { }), HttpStatusCode.BadRequest, "reason");

        // Applicants may not drive checkouts, and see only their own.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.ApplicantClient.PostAsync($"/api/checkouts/{cabinetApplication}/dispense", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.HeadClient.GetAsync($"/api/checkouts/{cabinetApplication}")).StatusCode);

        // Revoked before collection: cancelled, and it cannot be dispensed any more.
        Assert.Equal("cancelled", (await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{cabinetApplication}/revoke", new { reason = "申请人离职" }))).GetProperty("status").GetString());
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{cabinetApplication}/dispense", null), HttpStatusCode.Conflict, "cancelled");

        // A suspended seal cannot go out on a trip.
        string lockApplication = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps: 1));
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/transitions", new { action = "suspend", reason = "盘点" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{lockApplication}/bind", new { lockId }), HttpStatusCode.Conflict, "suspended");
    }

    public static object Request(string sealId, string mode, int stamps, long? windowToMs = null)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new
        {
            sealId,
            purpose = "签订采购合同",
            documents = new[] { new { name = "采购合同.pdf", pages = 2 } },
            stamps,
            mode,
            location = new { circle = new { lat = Lat, lon = Lon, radiusM = 500 } },
            windowFromMs = now - 60_000,
            windowToMs = windowToMs ?? now + 86_400_000,
            urgency = "normal",
        };
    }

    private async Task<(SimulatedLock Device, DeviceLoop Loop)> OnlineLockAsync(string id, IGnssSource gnss)
    {
        SimulatedLock device = await StartLockAsync(id, gnss);
        return (device, await PowerOnAsync(device));
    }

    private async Task<(SimulatedCabinet Device, DeviceLoop Loop)> OnlineCabinetAsync(string id, int compartments)
    {
        SimulatedCabinet cabinet = await StartCabinetAsync(id, compartments);
        return (cabinet, await PowerOnAsync(cabinet));
    }

    private async Task<DeviceLoop> PowerOnAsync(SimulatedDevice device)
    {
        var loop = new DeviceLoop(device);
        loop.Run(() => device.PowerOn("power-on"));
        await Eventually.Async(async () => (await _cloud.Service<DeviceRepository>().FindAsync(device.DeviceId))!.Online, $"{device.DeviceId} came online");
        return loop;
    }

    /// <summary>The keeper stows the office's seal in a compartment: the cabinet opens for its tag, the seal goes in, the cabinet reports it.</summary>
    private async Task StowAsync(SealOffice office, SimulatedCabinet cabinet, DeviceLoop loop, int compartment)
    {
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/stow", new { cabinetId = cabinet.DeviceId, compartment }));
        await Eventually.Async(() => Task.FromResult(cabinet.Compartments[compartment - 1].Mode == CompartmentMode.Returning), $"compartment {compartment} opened for the seal");
        await PutSealAsync(loop, cabinet, compartment, office.Tag);
        await Eventually.Async(async () => (await SealAsync(office)).GetProperty("locationRef").GetString() == $"{cabinet.DeviceId}/{compartment}", $"the seal is in compartment {compartment}");
    }

    private async Task<SimulatedCabinet> StartCabinetAsync(string id, int compartments)
    {
        byte[] key = await _cloud.ProvisionAsync(id, SmartSeal.Cloud.Devices.DeviceKind.Cabinet, compartments);
        return new SimulatedCabinet(new DeviceProvisioning(id, key, 1, null), HostOptions(), compartments);
    }

    private async Task<SimulatedLock> StartLockAsync(string id, IGnssSource gnss)
    {
        byte[] key = await _cloud.ProvisionAsync(id);
        return new SimulatedLock(new DeviceProvisioning(id, key, 1, null), HostOptions()) { Gnss = gnss };
    }

    private DeviceHostOptions HostOptions() => new()
    {
        Broker = new SmartSeal.Simulators.Host.BrokerEndpoint("127.0.0.1", _cloud.MqttPort),
        Clock = new HostClock(),
        Flash = new FakePersistentStore(4 * 1024 * 1024),
        Traffic = new TrafficCounters(),
        Log = new SimLog(),
        LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
    };

    /// <summary>Someone opens the released door, puts the seal with this tag in, closes the door.</summary>
    private static Task PutSealAsync(DeviceLoop loop, SimulatedCabinet cabinet, int compartment, string tag) => CabinetHands.ChangeTagAsync(loop, cabinet, compartment, tag);

    private static Task TakeSealAsync(DeviceLoop loop, SimulatedCabinet cabinet, int compartment) => CabinetHands.ChangeTagAsync(loop, cabinet, compartment, string.Empty);

    private async Task<JsonElement> SealAsync(SealOffice office) => await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/seals/{office.SealId}");

    private static async Task<string?> CheckoutStatusAsync(SealOffice office, string applicationId) =>
        (await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/checkouts/{applicationId}")).GetProperty("checkout").GetProperty("status").GetString();

    private async Task AssertLedgerIntactAsync(string sealId)
    {
        JsonElement verification = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={sealId}");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    private Task<string[]> ActiveAlarmsAsync(string deviceId) => ActiveAlarmsAsync(_cloud, deviceId);

    internal static async Task<string[]> ActiveAlarmsAsync(CloudFactory cloud, string deviceId)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT type FROM alarms WHERE device_id = @deviceId AND cleared_ms IS NULL AND type NOT IN ('door-held-open')", new { deviceId })).ToArray();
    }

    private async Task<long> CountAsync(string id, string type)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @id AND type = @type", new { id, type });
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected OK, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
