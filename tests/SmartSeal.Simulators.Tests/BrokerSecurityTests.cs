using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Tests;

/// <summary>The fixture's broker enforces the security model: SAS passwords from derived keys, a topic subtree per device.</summary>
public class BrokerSecurityTests(BrokerFixture fixture) : SimulatorTest(fixture)
{
    private async Task<(IMqttClient Client, MqttClientConnectResultCode Code)> Connect(string clientId, string user, string password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Fixture.Broker.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId).WithCredentials(user, password).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        try
        {
            MqttClientConnectResult result = await client.ConnectAsync(options);
            return (client, result.ResultCode);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return (client, MqttClientConnectResultCode.NotAuthorized);
        }
    }

    private string Password(string deviceId, byte[]? key = null, long lifetime = 3600) =>
        BrokerPassword.Create(deviceId, key ?? DeviceKeys.Derive(Fixture.MasterKey, deviceId, 1), (Fixture.Clock.UtcNowMs / 1000) + lifetime);

    [Fact]
    public async Task Devices_log_in_only_with_a_password_minted_from_their_derived_key()
    {
        long refusedBefore = Fixture.Broker.RefusedConnections;
        (IMqttClient ok, MqttClientConnectResultCode code) = await Connect("lock-0100", "lock-0100", Password("lock-0100"));
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        await ok.DisconnectAsync();

        byte[] otherMaster = Enumerable.Repeat((byte)7, 32).ToArray();
        Assert.NotEqual(MqttClientConnectResultCode.Success, (await Connect("lock-0100", "lock-0100", Password("lock-0100", DeviceKeys.Derive(otherMaster, "lock-0100", 1)))).Code);
        Assert.NotEqual(MqttClientConnectResultCode.Success, (await Connect("lock-0100", "lock-0100", Password("lock-0100", lifetime: -10))).Code);
        Assert.NotEqual(MqttClientConnectResultCode.Success, (await Connect("lock-0100", "lock-0100", Password("lock-0100", lifetime: 30 * 24 * 3600))).Code);
        Assert.NotEqual(MqttClientConnectResultCode.Success, (await Connect("lock-0101", "lock-0100", Password("lock-0100"))).Code);
        Assert.NotEqual(MqttClientConnectResultCode.Success, (await Connect("cloud-harness", "cloud-harness", "guess")).Code);
        Assert.Equal(refusedBefore + 5, Fixture.Broker.RefusedConnections);
    }

    [Fact]
    public async Task A_device_can_neither_publish_into_nor_subscribe_to_another_devices_topics()
    {
        (IMqttClient cloud, _) = await Connect(CloudCredentials.HarnessUsername + "-acl", CloudCredentials.HarnessUsername + "-acl", CloudCredentials.Password(Fixture.MasterKey, CloudCredentials.HarnessUsername + "-acl"));
        var seen = new List<string>();
        cloud.ApplicationMessageReceivedAsync += e =>
        {
            lock (seen)
            {
                seen.Add(e.ApplicationMessage.Topic);
            }

            return Task.CompletedTask;
        };
        await cloud.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("smartseal/v1/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        (IMqttClient device, MqttClientConnectResultCode code) = await Connect("lock-0200", "lock-0200", Password("lock-0200"));
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        long deniedBefore = Fixture.Broker.AclDenials;

        MqttClientSubscribeResult own = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(DeviceTopics.For("lock-0200", TopicKind.Commands), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, own.Items.Single().ResultCode);
        MqttClientSubscribeResult foreign = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(DeviceTopics.For("lock-0201", TopicKind.Commands), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, foreign.Items.Single().ResultCode);
        MqttClientSubscribeResult wildcard = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("smartseal/v1/+/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, wildcard.Items.Single().ResultCode);

        MqttClientPublishResult forged = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.For("lock-0201", TopicKind.Events)).WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        MqttClientPublishResult intoCommands = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.For("lock-0200", TopicKind.Commands)).WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoCommands.ReasonCode);
        MqttClientPublishResult allowed = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.For("lock-0200", TopicKind.Telemetry)).WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(allowed.IsSuccess);

        await Eventually.Async(
            () =>
            {
                lock (seen)
                {
                    return Task.FromResult(seen.Contains(DeviceTopics.For("lock-0200", TopicKind.Telemetry)));
                }
            },
            "the allowed telemetry reached the cloud's subscription");

        lock (seen)
        {
            Assert.Contains(DeviceTopics.For("lock-0200", TopicKind.Telemetry), seen);
            Assert.DoesNotContain(DeviceTopics.For("lock-0201", TopicKind.Events), seen);
            Assert.DoesNotContain(DeviceTopics.For("lock-0200", TopicKind.Commands), seen);
        }

        Assert.Equal(deniedBefore + 4, Fixture.Broker.AclDenials);
        await device.DisconnectAsync();
        await cloud.DisconnectAsync();
    }
}
