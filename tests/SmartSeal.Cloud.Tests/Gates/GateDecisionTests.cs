using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Gates;

/// <summary>Edge gates' signed face-match decisions arriving over MQTT.</summary>
public class GateDecisionTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public GateDecisionTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private static FaceMatchBody Match(string cabinet) => new()
    {
        Subject = "zhang.wei", CabinetId = cabinet, Score = 7531, Margin = 4120, Liveness = 9862, Frames = 3, PhotoId = "ph-gate-1", TemplateVersion = "fr-v1",
    };

    private async Task<(bool Accepted, string? Reason, int Score)> DecisionAsync(string gate)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.QuerySingleAsync<(bool, string?, int)>("SELECT accepted, reason, score FROM gate_decisions WHERE gate_id = @gate", new { gate });
    }

    [Fact]
    public async Task A_gate_decision_about_a_registered_cabinet_is_recorded_once_and_accepted()
    {
        await _cloud.ProvisionAsync("cab-gate-01", DeviceKind.Cabinet, compartments: 4);
        byte[] key = await _cloud.ProvisionAsync("gate-hq-01", DeviceKind.Gate);
        await using DeviceClient gate = await DeviceClient.ConnectAsync(_cloud.MqttPort, "gate-hq-01", key);
        byte[] signed = gate.Sign(Match("cab-gate-01"));
        await gate.PublishAsync(SmartSeal.Protocol.Topics.DeviceTopics.For("gate-hq-01", SmartSeal.Protocol.Topics.TopicKind.Events), signed);
        await gate.PublishAsync(SmartSeal.Protocol.Topics.DeviceTopics.For("gate-hq-01", SmartSeal.Protocol.Topics.TopicKind.Events), signed);
        await gate.WaitForAckAsync(1);

        Assert.Equal((true, null, 7531), await DecisionAsync("gate-hq-01"));
    }

    [Fact]
    public async Task A_face_match_from_a_lock_is_kept_as_evidence_not_accepted_and_alarmed()
    {
        await _cloud.ProvisionAsync("cab-gate-02", DeviceKind.Cabinet, compartments: 4);
        byte[] key = await _cloud.ProvisionAsync("lock-pretends-gate");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-pretends-gate", key);
        await device.SendAsync(Match("cab-gate-02"));
        await device.WaitForAckAsync(1);

        (bool accepted, string? reason, _) = await DecisionAsync("lock-pretends-gate");
        Assert.False(accepted);
        Assert.Contains("not a gate", reason);
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'lock-pretends-gate' AND type = 'forged-message' AND active"));
    }
}
