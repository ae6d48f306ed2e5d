using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.CloudBench;

/// <summary>
/// One simulated device over real MQTT: signs its own envelopes with its derived key, publishes
/// them QoS 1, and times each seq from publish to the cloud's signed ack.
/// </summary>
public sealed class BenchDevice(string id, byte[] key, Latencies latencies) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<long, long> _pending = new();
    private readonly string _eventTopic = DeviceTopics.For(id, TopicKind.Events);
    private readonly string _telemetryTopic = DeviceTopics.For(id, MessageTypes.TopicOf(MessageTypes.Position));
    private long _seq;

    public string Id { get; } = id;

    public bool IsConnected => _client.IsConnected;

    /// <summary>When false, acks are counted but not timed (throughput phase).</summary>
    public bool Timing { get; set; }

    public async Task ConnectAsync(string host, int port, string password, bool subscribeAcks)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnAck(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        MqttClientConnectResult result = await _client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(host, port).WithClientId(Id).WithCredentials(Id, password).WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(120)).WithTimeout(TimeSpan.FromSeconds(60)).Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{Id}: login refused ({result.ResultCode})");
        }

        if (subscribeAcks)
        {
            await _client.SubscribeAsync(DeviceTopics.For(Id, TopicKind.Acks), MqttQualityOfServiceLevel.AtLeastOnce);
        }
    }

    /// <summary>The use token the lock stamps under (issued by the cloud when its seal was bound: <see cref="BenchOffice"/>).</summary>
    public string TokenId { get; set; } = "tok-unknown";

    /// <summary>What the device sends: stamps under its token (the default), or position reports (a fleet reporting its tracks).</summary>
    public bool Positions { get; set; }

    /// <summary>Signs and publishes the next event; completes when the broker has it (PUBACK).</summary>
    public async Task PublishEventAsync()
    {
        long seq = Interlocked.Increment(ref _seq);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        MessageBody body = Positions
            ? new PositionBody { Fix = new GeoFix { TimeMs = now, LatE7 = 231_291_000 + (int)(seq % 1000), LonE7 = 1_132_644_000, AccuracyCm = 350, Satellites = 9, Quality = 1 }, Moving = true }
            : new StampedBody { AttemptId = "bench-" + seq, TokenId = TokenId, DocumentId = "doc-1", Page = 1 };
        var envelope = new Envelope { DeviceId = Id, Seq = seq, Time = now, Type = body.Type, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        byte[] payload = EnvelopeCodec.Encode(envelope, key);
        if (Timing)
        {
            _pending[seq] = Stopwatch.GetTimestamp();
        }

        string topic = Positions ? _telemetryTopic : _eventTopic;
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private void OnAck(byte[] payload)
    {
        long now = Stopwatch.GetTimestamp();
        var envelope = new Envelope();
        var ack = new AckBody();
        if (EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _) != ProtocolError.None || !EnvelopeCodec.VerifyMac(envelope, key)
            || MessageCodec.DecodeBody(envelope, ack, out _) != ProtocolError.None)
        {
            latencies.BadAck();
            return;
        }

        foreach (long seq in ack.Seqs)
        {
            latencies.Acked();
            if (_pending.TryRemove(seq, out long sent))
            {
                latencies.Record(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }
        }
    }
}

/// <summary>Acknowledged seqs and publish→ack latencies across all devices.</summary>
public sealed class Latencies
{
    private readonly ConcurrentBag<double> _samples = [];
    private long _acked;
    private long _badAcks;

    public long AckedCount => Interlocked.Read(ref _acked);

    public long BadAcks => Interlocked.Read(ref _badAcks);

    public void Acked() => Interlocked.Increment(ref _acked);

    public void BadAck() => Interlocked.Increment(ref _badAcks);

    public void Record(double ms) => _samples.Add(ms);

    public void Clear() => _samples.Clear();

    public int Count => _samples.Count;

    public double Percentile(double p)
    {
        double[] sorted = _samples.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}
