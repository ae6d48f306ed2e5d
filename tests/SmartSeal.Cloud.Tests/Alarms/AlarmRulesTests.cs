using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>
/// The platform's own rules (evaluated at a chosen "now", so no test waits for a threshold) and the
/// severities of alarms that arrive with device messages.
/// </summary>
public class AlarmRulesTests : CloudTest<AlarmCloudFactory>
{
    private static readonly long Minute = 60_000;
    private readonly AlarmCloudFactory _cloud;

    public AlarmRulesTests(AlarmCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task A_cabinet_silent_past_its_threshold_is_offline_too_long_until_it_is_back()
    {
        byte[] key = await _cloud.ProvisionAsync("cab-rules-01", DeviceKind.Cabinet, compartments: 4);
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "cab-rules-01", key);
        long before = _cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;
        await device.PublishAsync(DeviceTopics.For("cab-rules-01", TopicKind.Status), device.Sign(new StatusBody { Online = true }, seq: 0));
        await _cloud.WaitForIngestAsync(before + 1);
        AlarmRules rules = _cloud.Service<AlarmRules>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Within the cabinet's 5 minutes: nothing. Past them: raised once, not counted again on the next run.
        Assert.DoesNotContain(await rules.EvaluateAsync(now + (4 * Minute)), c => c.DeviceId == "cab-rules-01");
        AlarmChange raised = Assert.Single(await rules.EvaluateAsync(now + (6 * Minute)), c => c.DeviceId == "cab-rules-01");
        Assert.Equal(AlarmTypes.OfflineTooLong, raised.Type);
        Assert.Equal(AlarmSeverity.Warning, raised.Severity);
        Assert.DoesNotContain(await rules.EvaluateAsync(now + (7 * Minute)), c => c.DeviceId == "cab-rules-01");
        Assert.Equal(1, (await _cloud.Service<AlarmService>().FindAsync(raised.Id))!.Occurrences);

        // Heard from again (a fresh message), the next run clears it.
        await device.SendAsync(new BatteryBody { Percent = 90, MilliVolts = 4000 });
        await device.WaitForAckAsync(1);
        AlarmChange cleared = Assert.Single(await rules.EvaluateAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), c => c.DeviceId == "cab-rules-01");
        Assert.Equal(AlarmChangeKind.Cleared, cleared.Kind);
        Assert.Equal(raised.Id, cleared.Id);
        AlarmRecord stored = (await _cloud.Service<AlarmService>().FindAsync(raised.Id))!;
        Assert.False(stored.Active);
        Assert.Equal(AlarmRules.RuleActor, stored.ClearedBy);
    }

    [Fact]
    public async Task A_lock_after_its_last_will_is_offline_too_long_only_after_its_own_longer_threshold()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-rules-02");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-rules-02", key);
        long before = _cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;
        await device.PublishAsync(DeviceTopics.For("lock-rules-02", TopicKind.Status), device.Sign(new StatusBody { Online = false, Reason = "connection lost" }, seq: 0));
        await _cloud.WaitForIngestAsync(before + 1);
        AlarmRules rules = _cloud.Service<AlarmRules>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.DoesNotContain(await rules.EvaluateAsync(now + (20 * Minute)), c => c.DeviceId == "lock-rules-02");
        AlarmChange raised = Assert.Single(await rules.EvaluateAsync(now + (31 * Minute)), c => c.DeviceId == "lock-rules-02");
        Assert.Contains("offline for", raised.Detail);
    }

    [Fact]
    public async Task After_a_cloud_restart_a_cabinet_silent_since_before_it_gets_its_threshold_to_reconnect()
    {
        byte[] key = await _cloud.ProvisionAsync("cab-rules-06", DeviceKind.Cabinet, compartments: 4);
        await using (DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "cab-rules-06", key))
        {
            await device.SendAsync(new BatteryBody { Percent = 90, MilliVolts = 4000 });
            await device.WaitForAckAsync(1);
        }

        // The cloud (these rules) starts an hour later: the hour it was down is not the cabinet's silence.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var restarted = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now + (60 * Minute)));
        AlarmRules rules = ActivatorUtilities.CreateInstance<AlarmRules>(_cloud.Services, (TimeProvider)restarted);

        Assert.DoesNotContain(await rules.EvaluateAsync(now + (61 * Minute)), c => c.DeviceId == "cab-rules-06");
        Assert.DoesNotContain(await rules.EvaluateAsync(now + (64 * Minute)), c => c.DeviceId == "cab-rules-06");
        AlarmChange raised = Assert.Single(await rules.EvaluateAsync(now + (66 * Minute)), c => c.DeviceId == "cab-rules-06");
        Assert.Equal(AlarmTypes.OfflineTooLong, raised.Type);
    }

    [Fact]
    public async Task The_cloud_raises_low_battery_for_a_cabinet_but_leaves_it_to_a_lock_that_reports_its_own()
    {
        byte[] cabinetKey = await _cloud.ProvisionAsync("cab-rules-03", DeviceKind.Cabinet, compartments: 4);
        byte[] lockKey = await _cloud.ProvisionAsync("lock-rules-03");
        await using DeviceClient cabinet = await DeviceClient.ConnectAsync(_cloud.MqttPort, "cab-rules-03", cabinetKey);
        await using DeviceClient seal = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-rules-03", lockKey);
        await cabinet.SendAsync(new BatteryBody { Percent = 12, MilliVolts = 3500 });
        await seal.SendAsync(new BatteryBody { Percent = 5, MilliVolts = 3300 });
        await cabinet.WaitForAckAsync(1);
        await seal.WaitForAckAsync(1);
        AlarmRules rules = _cloud.Service<AlarmRules>();

        IReadOnlyList<AlarmChange> changes = await rules.EvaluateAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        AlarmChange low = Assert.Single(changes, c => c.DeviceId == "cab-rules-03");
        Assert.Equal(AlarmTypes.LowBattery, low.Type);
        Assert.Contains("12%", low.Detail);
        Assert.DoesNotContain(changes, c => c.DeviceId == "lock-rules-03");

        // 22% is above the threshold but inside the hysteresis: still alarmed. 40%: cleared.
        await cabinet.SendAsync(new BatteryBody { Percent = 22, MilliVolts = 3700 });
        await cabinet.WaitForAckAsync(2);
        Assert.DoesNotContain(await rules.EvaluateAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), c => c.DeviceId == "cab-rules-03");
        await cabinet.SendAsync(new BatteryBody { Percent = 40, MilliVolts = 3900 });
        await cabinet.WaitForAckAsync(3);
        AlarmChange cleared = Assert.Single(await rules.EvaluateAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), c => c.DeviceId == "cab-rules-03");
        Assert.Equal(AlarmChangeKind.Cleared, cleared.Kind);
    }

    [Fact]
    public async Task Device_alarms_and_forged_messages_arrive_with_their_severities()
    {
        byte[] key = await _cloud.ProvisionAsync("cab-rules-04", DeviceKind.Cabinet, compartments: 4);
        byte[] otherKey = await _cloud.ProvisionAsync("cab-rules-05", DeviceKind.Cabinet, compartments: 4);
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "cab-rules-04", key);
        await device.SendAsync(new AlarmBody { Alarm = AlarmType.Tamper, Active = true });
        await device.SendAsync(new AlarmBody { Alarm = AlarmType.ForcedDoor, Active = true, Compartment = 2 });
        await device.SendAsync(new AlarmBody { Alarm = AlarmType.DoorHeldOpen, Active = true, Compartment = 3 });
        await device.SendAsync(new AlarmBody { Alarm = AlarmType.DoorHeldOpen, Active = false, Compartment = 3 });
        await device.WaitForAckAsync(4);
        await device.PublishAsync(DeviceTopics.For("cab-rules-04", TopicKind.Events), device.Sign(new StampedBody { AttemptId = "a", TokenId = "t" }, key: otherKey));

        // Not "ingest processed one more": the fourth message's ack goes out before its batch is
        // counted, so a count read after the ack can be one short. Wait for the alarm itself.
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        await Eventually.Async(
            async () => await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'cab-rules-04' AND type = 'forged-message'") == 1,
            "the forged message raised its alarm");
        var rows = (await connection.QueryAsync<(string Type, string Severity, bool Active, string? ClearedBy)>(
            "SELECT type, severity, active, cleared_by FROM alarms WHERE device_id = 'cab-rules-04'")).ToDictionary(r => r.Type);
        Assert.Equal("critical", rows["tamper"].Severity);
        Assert.Equal("critical", rows["forced-door"].Severity);
        Assert.Equal("critical", rows["forged-message"].Severity);
        Assert.Equal("warning", rows["door-held-open"].Severity);
        Assert.False(rows["door-held-open"].Active);
        Assert.Equal("device", rows["door-held-open"].ClearedBy);
        Assert.True(rows["tamper"].Active);
    }
}
