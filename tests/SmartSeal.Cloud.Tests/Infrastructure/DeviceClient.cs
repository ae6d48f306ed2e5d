using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// A device as the broker sees it, driven by the test: logs in with its SAS password, publishes
/// envelopes it signs itself (or deliberately mis-signs), and records what the cloud sends it.
/// </summary>
public sealed class DeviceClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _received = new();
    private long _seq;

    private DeviceClient(string deviceId, byte[] key)
    {
        DeviceId = deviceId;
        Key = key;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
    }

    public string DeviceId { get; }

    public byte[] Key { get; }

    public long NextSeq => _seq + 1;

    public bool IsConnected => _client.IsConnected;

    public static async Task<DeviceClient> ConnectAsync(int port, string deviceId, byte[] key, string? password = null, string? clientId = null, bool subscribe = true, byte[]? will = null)
    {
        var device = new DeviceClient(deviceId, key);
        MqttClientConnectResult result;
        try
        {
            MqttClientOptionsBuilder options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId ?? deviceId)
                .WithCredentials(deviceId, password ?? BrokerPassword.Create(deviceId, key, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600))
                .WithCleanSession(true);
            if (will != null)
            {
                options.WithWillTopic(DeviceTopics.For(deviceId, TopicKind.Status)).WithWillPayload(will).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            }

            result = await device._client.ConnectAsync(options.Build());
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            device._client.Dispose();
            throw new MqttLoginRefusedException(e.Message);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttLoginRefusedException(result.ResultCode.ToString());
        }

        if (subscribe)
        {
            await device._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(DeviceTopics.For(deviceId, TopicKind.Acks), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(DeviceTopics.For(deviceId, TopicKind.Commands), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(DeviceTopics.For(deviceId, TopicKind.DesiredState), MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        }

        return device;
    }

    /// <summary>Signs a body with the next seq (or the given one) and returns the envelope bytes.</summary>
    public byte[] Sign(MessageBody body, long? seq = null, byte[]? key = null, string? asDevice = null, long? timeMs = null) =>
        SignedEnvelope(asDevice ?? DeviceId, key ?? Key, body, seq ?? ++_seq, timeMs);

    /// <summary>The envelope bytes a device sends, signed with <paramref name="key"/>, without a connection (for other MQTT clients).</summary>
    public static byte[] SignedEnvelope(string deviceId, byte[] key, MessageBody body, long seq, long? timeMs = null)
    {
        var envelope = new Envelope { DeviceId = deviceId, Seq = seq, Time = timeMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Type = body.Type, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, key);
    }

    /// <summary>Publishes on the device's own topic for the body's type; returns the MQTT reason code.</summary>
    public Task<MqttClientPublishResult> SendAsync(MessageBody body, long? seq = null) => PublishAsync(DeviceTopics.For(DeviceId, MessageTypes.TopicOf(body.Type)), Sign(body, seq));

    public async Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, bool retain = false) =>
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    public async Task<MqttClientSubscribeResult> SubscribeAsync(string filter) =>
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Seqs the cloud acknowledged so far (MAC-checked).</summary>
    public HashSet<long> AcknowledgedSeqs()
    {
        var seqs = new HashSet<long>();
        foreach ((string topic, byte[] payload) in _received)
        {
            if (topic != DeviceTopics.For(DeviceId, TopicKind.Acks))
            {
                continue;
            }

            var envelope = new Envelope();
            Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
            Assert.True(EnvelopeCodec.VerifyMac(envelope, Key), "ack not signed with this device's key");
            var ack = new AckBody();
            Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, ack, out _));
            seqs.UnionWith(ack.Seqs);
        }

        return seqs;
    }

    public Task WaitForAckAsync(long seq, TimeSpan? timeout = null) =>
        Eventually.Async(() => AcknowledgedSeqs().Contains(seq), $"{DeviceId}: seq {seq} was acknowledged", timeout);

    public IReadOnlyList<(string Topic, byte[] Payload)> Received => _received.ToArray();

    public async Task DisconnectAsync() => await _client.DisconnectAsync();

    /// <summary>Drops the TCP connection without DISCONNECT, so the broker publishes the last will.</summary>
    public void Kill() => _client.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}

public sealed class MqttLoginRefusedException(string reason) : Exception($"login refused: {reason}");
