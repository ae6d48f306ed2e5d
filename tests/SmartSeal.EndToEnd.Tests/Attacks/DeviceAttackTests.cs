using System.Data.Common;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using MQTTnet;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacks on the device side, each against the real cloud and (where a device must refuse) the
/// real firmware: a registered device speaking for another, replayed events and commands, and
/// forged use tokens delivered over a genuine command channel.
/// </summary>
public class DeviceAttackTests : MissionTest<AttackCloudFactory>
{
    public DeviceAttackTests(AttackCloudFactory cloud)
        : base(cloud)
    {
    }

    [Fact]
    public async Task A_registered_device_cannot_speak_for_another_device_or_for_a_seal_it_does_not_hold()
    {
        // The victim: a seal out of its cabinet on an approved collection, and a lock on a trip with another seal.
        SealOffice office = await Mission.OfficeAsync();
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop cabinetLoop) = await Mission.OnlineCabinetAsync(cabinetId, 2);
        using DeviceLoop runningCabinet = cabinetLoop;
        string collection = await Mission.CollectedAsync(office, cabinet, cabinetLoop);

        SealOffice tripOffice = await Mission.OfficeAsync();
        string victimLock = OrgWorld.Unique("lock");
        (SimulatedLock victim, DeviceLoop victimLoop) = await Mission.OnlineLockAsync(victimLock);
        using DeviceLoop runningVictim = victimLoop;
        string trip = await Mission.LockTripAsync(tripOffice, victim, stamps: 2);
        string victimJti = await JtiAsync(trip);

        // The attacker: a genuine lock with its own key.
        string attackerId = OrgWorld.Unique("lock");
        await using DeviceClient attacker = await DeviceClient.ConnectAsync(Cloud.MqttPort, attackerId, await Cloud.ProvisionAsync(attackerId));
        long ledgerBefore = (await Mission.LedgerAsync(office.SealId)).Length;
        long tripLedgerBefore = (await Mission.LedgerAsync(tripOffice.SealId)).Length;

        // 1. Into the victim's topic: the broker's ACL refuses the publish.
        var stamp = new StampedBody { AttemptId = "att-x", TokenId = victimJti };
        MqttClientPublishResult intoVictim = await attacker.PublishAsync(DeviceTopics.For(victimLock, TopicKind.Events), attacker.Sign(stamp, asDevice: victimLock));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoVictim.ReasonCode);

        // 2. On its own topic, an envelope that claims to be the victim (signed with the attacker's key).
        await attacker.PublishAsync(DeviceTopics.For(attackerId, TopicKind.Events), attacker.Sign(stamp, asDevice: victimLock));

        // 3. As itself, uses it cannot have made: a stamp under the victim's token, and a cabinet's
        //    return and dispense of a seal it never held.
        await attacker.SendAsync(new StampedBody { AttemptId = "att-y", TokenId = victimJti });
        await attacker.SendAsync(new ReturnedBody { Compartment = 1, SealId = office.SealId, TagId = office.Tag });
        await attacker.SendAsync(new DispensedBody { Compartment = 1, SealId = tripOffice.SealId, TagId = tripOffice.Tag, TokenId = victimJti });
        await attacker.WaitForAckAsync(attacker.NextSeq - 1);

        // (Refusals are recorded and alarmed right after the acknowledgement: wait for both alarms.)
        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(attackerId)).Contains(AlarmTypes.ForgedMessage), "forged-message on the attacker");
        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(attackerId)).Contains(CheckoutAlarms.UseNotCovered), "use-not-covered on the attacker");
        await Mission.WebhookAsync(Cloud.Receiver, attackerId, AlarmTypes.ForgedMessage);
        await Mission.WebhookAsync(Cloud.Receiver, attackerId, CheckoutAlarms.UseNotCovered);

        // Nothing moved: the collection is still out with the applicant, the trip's token unused,
        // the victim's records untouched, and neither seal's ledger has an entry from the attacker.
        Assert.Equal("out", await Mission.CheckoutStatusAsync(office, collection));
        Assert.Equal(("person", office.Applicant), await Mission.SealLocationAsync(office));
        Assert.Equal(("lock", victimLock), await Mission.SealLocationAsync(tripOffice));
        Assert.Equal(0, (await Mission.CheckoutAsync(tripOffice, trip)).GetProperty("tokens")[0].GetProperty("used").GetInt32());
        Assert.Equal(0, await Mission.CountAsync(victimLock, "stamped"));
        // The ACL-denied publish is the attacker's doing: alarmed on the attacker, nothing on the victim.
        Assert.Empty(await Mission.ActiveAlarmsAsync(victimLock));
        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        JsonElement[] tripLedger = await Mission.LedgerAsync(tripOffice.SealId);
        Assert.DoesNotContain(ledger.Concat(tripLedger), e => e.GetProperty("deviceId").ValueKind == JsonValueKind.String && e.GetProperty("deviceId").GetString() == attackerId);
        Assert.Equal(ledgerBefore, ledger.Length);
        Assert.Equal(tripLedgerBefore, tripLedger.Length);
        await Mission.AssertLedgerIntactAsync(office.SealId);
        await Mission.AssertLedgerIntactAsync(tripOffice.SealId);

        // The real devices still work: the right seal goes back, the victim lock stamps.
        await Mission.OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{collection}/accept-return", null));
        await Mission.WaitUntilAsync(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Returning), "opened for the return");
        await Mission.PutSealAsync(cabinetLoop, cabinet, 1, office.Tag);
        await Mission.WaitUntilAsync(async () => await Mission.CheckoutStatusAsync(office, collection) == "returned", "returned by the real cabinet");
        await Mission.StampAsync(victim, victimLoop, 1);
        cabinetLoop.Run(cabinet.Shutdown);
        victimLoop.Run(victim.Shutdown);
    }

    [Fact]
    public async Task Replayed_events_count_once_and_replayed_commands_and_desired_states_change_nothing_on_the_lock()
    {
        // Events: a lock's genuine stamp, its exact bytes published again and again.
        SealOffice office = await Mission.OfficeAsync();
        string wireLock = OrgWorld.Unique("lock");
        await using DeviceClient device = await DeviceClient.ConnectAsync(Cloud.MqttPort, wireLock, await Cloud.ProvisionAsync(wireLock));
        string applicationId = await office.ApprovedApplicationAsync(Mission.Request(office.SealId, "lock", stamps: 3));
        await Mission.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId = wireLock }));
        byte[] captured = device.Sign(new StampedBody { AttemptId = "att-1", TokenId = await JtiAsync(applicationId) });
        string topic = DeviceTopics.For(wireLock, TopicKind.Events);
        for (int i = 0; i < 5; i++)
        {
            await device.PublishAsync(topic, captured);
        }

        await device.WaitForAckAsync(1);
        await Task.Delay(300); // absence window: the four replays after the first must change nothing; nothing to await
        Assert.Equal(1, await Mission.CountAsync(wireLock, "stamped"));
        Assert.Equal(1, (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0].GetProperty("used").GetInt32());
        Assert.Single(await Mission.LedgerSourcesAsync(office.SealId, "stamp"));
        await Mission.AssertLedgerIntactAsync(office.SealId);

        // Commands: the real lock firmware is disabled, then enabled; someone on the wire recorded
        // both and replays the disable (and the retained desired state that said "disabled").
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock target, DeviceLoop loop) = await Mission.OnlineLockAsync(lockId);
        using DeviceLoop running = loop;
        var states = Cloud.Service<DesiredStateService>();
        await states.SetEnabledAsync(lockId, false, "test", "tester");
        await Mission.WaitUntilAsync(() => Task.FromResult(target.State!.Mode == LockMode.Disabled), "disabled");
        (string Topic, byte[] Payload, bool Retain)[] disabling = Cloud.Broker.Published.Where(p => p.Topic.StartsWith($"smartseal/v1/{lockId}/", StringComparison.Ordinal)).ToArray();
        await states.SetEnabledAsync(lockId, true, "test", "tester");
        await Mission.WaitUntilAsync(() => Task.FromResult(target.State!.Mode == LockMode.Idle && target.State.Enabled), "enabled");

        var commands = disabling.Where(p => p.Topic == DeviceTopics.For(lockId, TopicKind.Commands)).ToArray();
        var desired = disabling.Where(p => p.Topic == DeviceTopics.For(lockId, TopicKind.DesiredState)).ToArray();
        Assert.NotEmpty(commands);
        Assert.NotEmpty(desired);
        foreach ((string replayTopic, byte[] payload, _) in commands.Concat(desired))
        {
            await Cloud.Broker.InjectAsync(replayTopic, payload);
        }

        await Mission.WaitUntilAsync(async () => await CountAlarmsAsync(lockId, AlarmTypes.ReplayedMessage) >= 1, "the lock reported the replayed command");
        Assert.Equal((LockMode.Idle, true), (target.State!.Mode, target.State.Enabled));
        loop.Run(target.Shutdown);
    }

    [Fact]
    public async Task Forged_tokens_delivered_over_a_genuine_command_are_refused_by_the_lock_and_it_never_opens()
    {
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock target, DeviceLoop loop) = await Mission.OnlineLockAsync(lockId);
        using DeviceLoop running = loop;
        byte[] key = DeviceKeys.Derive(CloudFactory.MasterKey, lockId, 1);
        string otherLock = OrgWorld.Unique("lock");
        long now = Mission.Now() / 1000;
        UseToken Claims(string audience, long expires) => new()
        {
            Id = "jti-" + Guid.NewGuid().ToString("n")[..8], Audience = audience, Subject = "mallory", IssuedAt = Math.Min(now, expires) - 3600, NotBefore = Math.Min(now, expires) - 3600, Expires = expires,
            SealId = "seal-x", ApplicationId = "app-x", Uses = 5, Mode = UseToken.ModeLock,
        };
        string genuine = UseTokenWriter.Write(Claims(lockId, now + 3600), key, "v1");
        string[] parts = genuine.Split('.');
        string payloadJson = Encoding.UTF8.GetString(Base64Url.Decode(parts[1]));
        string MoreUses(string json) => json.Replace("\"uses\":5", "\"uses\":500", StringComparison.Ordinal);
        Assert.NotEqual(payloadJson, MoreUses(payloadJson));

        var forgeries = new (string What, string Token, string Reason)[]
        {
            ("signed with another key", UseTokenWriter.Write(Claims(lockId, now + 3600), DeviceKeys.Derive(Enumerable.Repeat((byte)9, 32).ToArray(), lockId, 1), "v1"), "token-invalid"),
            ("alg none", Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}")) + "." + parts[1] + ".", "token-invalid"),
            ("alg HS512 header on the HS256 signature", Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")) + "." + parts[1] + "." + parts[2], "token-invalid"),
            ("claims tampered (uses 5 → 500), signature kept", parts[0] + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(MoreUses(payloadJson))) + "." + parts[2], "token-invalid"),
            ("signature stripped", parts[0] + "." + parts[1] + ".", "token-invalid"),
            ("another lock's genuine token (its key: the signature fails first)", UseTokenWriter.Write(Claims(otherLock, now + 3600), DeviceKeys.Derive(CloudFactory.MasterKey, otherLock, 1), "v1"), "token-invalid"),
            ("this lock's key, another lock's audience", UseTokenWriter.Write(Claims(otherLock, now + 3600), key, "v1"), "wrong-device"),
            ("this lock's genuine but expired token", UseTokenWriter.Write(Claims(lockId, now - 600), key, "v1"), "token-expired"),
            ("garbage", "not-a-token", "token-invalid"),
        };

        CommandService commands = Cloud.Service<CommandService>();
        foreach ((string what, string token, string reason) in forgeries)
        {
            CommandSendResult sent = await commands.SendAsync(lockId, new LoadTokenBody { Token = token }, "attacker-test");
            CommandRecord? result = await commands.WaitForResultAsync(lockId, sent.Command!.Id, TimeSpan.FromSeconds(15));
            Assert.True(result?.ResultReason == reason, $"{what}: {result?.Status} {result?.ResultReason} {result?.ResultDetail}");
            Assert.Null(target.State!.Token);
        }

        loop.Run(target.PressButton);
        await Mission.WaitUntilAsync(async () => await Mission.CountAsync(lockId, "refused") >= forgeries.Length + 1, "every forgery and the press refused and reported");
        Assert.Equal(0, target.Bolt.UnlockCount);

        // The genuine token over the same channel is accepted: the refusals above were about the tokens.
        CommandSendResult real = await commands.SendAsync(lockId, new LoadTokenBody { Token = genuine }, "attacker-test");
        Assert.Equal("ok", (await commands.WaitForResultAsync(lockId, real.Command!.Id, TimeSpan.FromSeconds(15)))?.Status);
        Assert.NotNull(target.State!.Token);
        loop.Run(target.Shutdown);
    }

    private async Task<string> JtiAsync(string applicationId)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT jti FROM use_tokens WHERE application_id = @applicationId", new { applicationId });
    }

    private async Task<long> CountAlarmsAsync(string deviceId, string type)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = @deviceId AND type = @type", new { deviceId, type });
    }
}
