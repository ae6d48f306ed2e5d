using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.EdgeFaceGate.Link;

/// <summary>
/// The gate's MQTT link to the cloud, as a provisioned device: logs in with a SAS broker password
/// minted from its key, signs every message with the next persisted seq, keeps it in the
/// <see cref="GateOutbox"/> until the cloud's signed ack names that seq, and resends what is
/// unacknowledged after <see cref="ResendAfter"/> (and after every reconnect).
/// </summary>
public sealed class GateLink : IAsyncDisposable
{
    private readonly ProvisioningFile _device;
    private readonly GateOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<long, long> _sentAtMs = new();
    private readonly SemaphoreSlim _publishing = new(1, 1);

    public GateLink(ProvisioningFile device, GateOutbox outbox, TimeProvider time, Action<string> log)
    {
        _device = device;
        _outbox = outbox;
        _time = time;
        _log = log;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnAck(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(10);

    public bool Connected => _client.IsConnected;

    /// <summary>The gate's device key (photo MACs are computed with it too).</summary>
    public byte[] Key => _device.Key;

    public long Acknowledged { get; private set; }

    public int PendingCount => _outbox.Pending().Count;

    public async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        try
        {
            long expiry = _device.BrokerPasswordExpiry > 0 ? _device.BrokerPasswordExpiry : _time.GetUtcNow().ToUnixTimeSeconds() + 3600;
            MqttClientOptionsBuilder options = new MqttClientOptionsBuilder()
                .WithTcpServer(_device.BrokerHost, _device.BrokerPort)
                .WithClientId(_device.DeviceId)
                .WithCredentials(_device.DeviceId, BrokerPassword.Create(_device.DeviceId, _device.Key, expiry))
                .WithCleanSession(true)
                .WithTimeout(TimeSpan.FromSeconds(10));

            // Presence like the other devices: retained "online" now, and a last will signed with the
            // same time, so the cloud applies it if the gate vanishes but never after a newer online.
            long presenceMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            options.WithWillTopic(DeviceTopics.For(_device.DeviceId, TopicKind.Status))
                .WithWillPayload(Presence(false, "connection lost", presenceMs))
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (_device.BrokerTls)
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPem(_device.BrokerCaPem);
                options.WithTlsOptions(tls => tls.UseTls().WithTrustChain(chain));
            }

            MqttClientConnectResult result = await _client.ConnectAsync(options.Build(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _log($"broker refused the gate: {result.ResultCode}");
                return false;
            }

            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(DeviceTopics.For(_device.DeviceId, TopicKind.Acks), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            await PublishPresenceAsync(Presence(true, null, presenceMs), cancellationToken);
            _sentAtMs.Clear();
            _log($"connected to {_device.BrokerHost}:{_device.BrokerPort} as {_device.DeviceId}");
            return true;
        }
        // InvalidOperationException: another attempt (the background loop or the drain) is connecting right now; it will tell.
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Adapter.MqttConnectingFailedException or OperationCanceledException
            or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            _log($"broker {_device.BrokerHost}:{_device.BrokerPort} unreachable: {ex.Message}");
            return false;
        }
    }

    /// <summary>Signs the body with the next seq, puts it in the outbox and publishes it if connected.</summary>
    public async Task<long> SendAsync(MessageBody body, CancellationToken cancellationToken)
    {
        long seq = _outbox.NextSeq();
        var envelope = new Envelope { DeviceId = _device.DeviceId, Seq = seq, Time = _time.GetUtcNow().ToUnixTimeMilliseconds(), Type = body.Type, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        byte[] bytes = EnvelopeCodec.Encode(envelope, _device.Key);
        TopicKind topic = MessageTypes.TopicOf(body.Type);
        _outbox.Add(seq, topic, bytes);
        await PublishAsync(seq, topic, bytes, cancellationToken);
        return seq;
    }

    /// <summary>Reconnects if needed and resends every unacknowledged envelope not sent recently.</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (!await TryConnectAsync(cancellationToken))
        {
            return;
        }

        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach ((long seq, TopicKind topic, byte[] envelope) in _outbox.Pending())
        {
            if (!_sentAtMs.TryGetValue(seq, out long sent) || now - sent >= ResendAfter.TotalMilliseconds)
            {
                await PublishAsync(seq, topic, envelope, cancellationToken);
            }
        }
    }

    private async Task PublishAsync(long seq, TopicKind topic, byte[] envelope, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        await _publishing.WaitAsync(cancellationToken);
        try
        {
            await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(DeviceTopics.For(_device.DeviceId, topic))
                .WithPayload(envelope)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken);
            _sentAtMs[seq] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            _log($"publish of seq {seq} failed ({ex.Message}); it stays in the outbox");
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Acks count only when signed with this gate's key: a forged ack must not empty the outbox.</summary>
    private void OnAck(string topic, byte[] payload)
    {
        if (topic != DeviceTopics.For(_device.DeviceId, TopicKind.Acks))
        {
            return;
        }

        var envelope = new Envelope();
        var ack = new AckBody();
        if (EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _) != ProtocolError.None
            || !EnvelopeCodec.VerifyMac(envelope, _device.Key)
            || envelope.Type != MessageTypes.Ack
            || MessageCodec.DecodeBody(envelope, ack, out _) != ProtocolError.None
            || ack.Seqs is null)
        {
            _log("ignored an ack that is not signed with the gate's key");
            return;
        }

        int removed = _outbox.Acknowledge(ack.Seqs);
        foreach (long seq in ack.Seqs)
        {
            _sentAtMs.TryRemove(seq, out _);
        }

        Acknowledged += removed;
    }

    /// <summary>The firmware string the gate reports in its presence (the protocol allows 32 characters; the recipe travels with each decision).</summary>
    public const string Firmware = "edge-face-gate/1";

    private byte[] Presence(bool online, string? reason, long timeMs)
    {
        var envelope = new Envelope { DeviceId = _device.DeviceId, Seq = 0, Time = timeMs, Type = MessageTypes.Status, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(new StatusBody { Online = online, Firmware = online ? Firmware : null, Reason = reason }));
        return EnvelopeCodec.Encode(envelope, _device.Key);
    }

    private Task PublishPresenceAsync(byte[] status, CancellationToken cancellationToken) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.For(_device.DeviceId, TopicKind.Status))
            .WithPayload(status)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await PublishPresenceAsync(Presence(false, "stopped", _time.GetUtcNow().ToUnixTimeMilliseconds()), CancellationToken.None);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
            {
                // Going away anyway; the last will says offline.
            }

            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _publishing.Dispose();
    }
}
