using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Ingest;

/// <summary>The host on real Kestrel with MQTT over WebSocket at /mqtt, into the same broker and ingest.</summary>
public sealed class WebSocketCloudFactory : CloudFactory
{
    public WebSocketCloudFactory()
    {
        HttpPort = FreePort();
        UseKestrel(HttpPort);
    }

    public int HttpPort { get; }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["SmartSeal:Mqtt:WebSocket"] = "true" };
}

public class WebSocketTests(WebSocketCloudFactory cloud) : IClassFixture<WebSocketCloudFactory>
{
    [Fact]
    public async Task A_device_over_MQTT_on_WebSocket_logs_in_with_its_SAS_password_and_gets_its_event_stored_and_acknowledged()
    {
        cloud.StartServer();
        byte[] key = await cloud.ProvisionAsync("lock-ws-01");
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var acks = new List<byte[]>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (acks)
            {
                acks.Add(e.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{cloud.HttpPort}/mqtt"))
            .WithClientId("lock-ws-01")
            .WithCredentials("lock-ws-01", BrokerPassword.Create("lock-ws-01", key, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600))
            .Build());
        await client.SubscribeAsync(DeviceTopics.For("lock-ws-01", TopicKind.Acks), MqttQualityOfServiceLevel.AtLeastOnce);

        var envelope = new SmartSeal.Protocol.Envelopes.Envelope { DeviceId = "lock-ws-01", Seq = 1, Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Type = MessageTypes.Battery, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(new BatteryBody { Percent = 77, MilliVolts = 3900 }));
        MqttClientPublishResult published = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.For("lock-ws-01", TopicKind.Telemetry))
            .WithPayload(SmartSeal.Protocol.Envelopes.EnvelopeCodec.Encode(envelope, key))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(published.IsSuccess);

        await Eventually.Async(
            () =>
            {
                lock (acks)
                {
                    return acks.Count > 0;
                }
            },
            "an ack came over WebSocket",
            TimeSpan.FromSeconds(10));

        Assert.Equal(77, (await cloud.Service<SmartSeal.Cloud.Devices.DeviceRepository>().FindAsync("lock-ws-01"))!.BatteryPercent);
        cloud.AssertNoErrors();
    }
}
