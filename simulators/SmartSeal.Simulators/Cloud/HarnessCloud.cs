using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Cloud;

/// <summary>
/// A small stand-in for the SmartSeal cloud, for scenarios and tests: it knows the master key,
/// subscribes to every device's events, telemetry, results, photos and status, MAC-checks and
/// dedupes them by seq, records them, and acknowledges them (batched per device) so devices can
/// drop them from flash. It signs commands, retained desired state and use tokens with the
/// protocol code, as the real cloud does. Received messages are handled on one worker thread.
/// </summary>
public sealed class HarnessCloud : IDisposable
{
    private static readonly string[] Subscriptions =
    [
        DeviceTopics.AllDevices(TopicKind.Events), DeviceTopics.AllDevices(TopicKind.Telemetry), DeviceTopics.AllDevices(TopicKind.CommandResults),
        DeviceTopics.AllDevices(TopicKind.Photos), DeviceTopics.AllDevices(TopicKind.Status),
    ];

    private readonly byte[] _masterKey;
    private readonly BrokerEndpoint _broker;
    private readonly IClock _clock;
    private readonly SimLog _log;
    private readonly ConcurrentDictionary<string, CloudDeviceRecord> _devices = new(StringComparer.Ordinal);
    private readonly BlockingCollection<KeyValuePair<string, byte[]>> _inbound = new(new ConcurrentQueue<KeyValuePair<string, byte[]>>());
    private readonly object _sync = new();
    private readonly object _connectSync = new();
    private readonly Thread _worker;
    private IMqttClient? _client;
    private volatile bool _stopping;
    private long _received;
    private long _handled;
    private long _acksSent;

    public HarnessCloud(byte[] masterKey, BrokerEndpoint broker, IClock clock, SimLog log)
    {
        _masterKey = masterKey;
        _broker = broker;
        _clock = clock;
        _log = log;
        _worker = new Thread(Work) { IsBackground = true, Name = "harness-cloud" };
    }

    /// <summary>Keep event bodies (scenarios); fleets keep counts and seqs only.</summary>
    public bool RecordBodies { get; init; } = true;

    /// <summary>Acknowledge events (turned off to make devices hold and replay them).</summary>
    public bool AutoAck { get; set; } = true;

    public long Received => Interlocked.Read(ref _received);

    public long Handled => Interlocked.Read(ref _handled);

    public long AcksSent => Interlocked.Read(ref _acksSent);

    /// <summary>True when everything received has been handled and acknowledged.</summary>
    public bool Idle => Handled == Received && _inbound.Count == 0;

    public bool IsConnected => _client is { IsConnected: true };

    public void Start()
    {
        _worker.Start();
        Connect();
    }

    /// <summary>(Re)connects; call after a broker restart (the worker also retries by itself).</summary>
    public bool Connect()
    {
        lock (_connectSync)
        {
            return ConnectLocked();
        }
    }

    private bool ConnectLocked()
    {
        try
        {
            _client?.Dispose();
            IMqttClient client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e =>
            {
                Interlocked.Increment(ref _received);
                _inbound.Add(new KeyValuePair<string, byte[]>(e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
                return Task.CompletedTask;
            };
            MqttClientOptions options = new MqttClientOptionsBuilder()
                .WithTcpServer(_broker.Host, _broker.Port)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithClientId(CloudCredentials.HarnessUsername)
                .WithCredentials(CloudCredentials.HarnessUsername, CloudCredentials.Password(_masterKey, CloudCredentials.HarnessUsername))
                .WithCleanSession(true)
                .WithTimeout(TimeSpan.FromSeconds(5))
                .Build();
            client.ConnectAsync(options, CancellationToken.None).GetAwaiter().GetResult();
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (string topic in Subscriptions)
            {
                subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
            }

            client.SubscribeAsync(subscribe.Build(), CancellationToken.None).GetAwaiter().GetResult();
            _client = client;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Debug("cloud", "connect failed: " + e.Message);
            return false;
        }
    }

    /// <summary>Registers a device whose key is not derived from the master key (provisioning file).</summary>
    public void RegisterKey(string deviceId, byte[] key) => _devices[deviceId] = new CloudDeviceRecord(deviceId, key);

    public CloudDeviceRecord Device(string deviceId) =>
        _devices.GetOrAdd(deviceId, id => new CloudDeviceRecord(id, DeviceKeys.Derive(_masterKey, id, 1)));

    public IReadOnlyCollection<CloudDeviceRecord> Devices => _devices.Values.ToArray();

    /// <summary>A snapshot of one device's record under the cloud's lock.</summary>
    public T Read<T>(string deviceId, Func<CloudDeviceRecord, T> read)
    {
        lock (_sync)
        {
            return read(Device(deviceId));
        }
    }

    public string IssueLockToken(string deviceId, int uses, int offlineUses, TokenDocument[] documents, GeoFence? fence, long validSeconds, string sealId)
    {
        CloudDeviceRecord device = Device(deviceId);
        long now = _clock.UtcNowMs / 1000;
        int n;
        lock (_sync)
        {
            n = ++device.TokenCounter;
        }

        return UseTokenWriter.Write(new UseToken
        {
            Id = $"tok-{deviceId}-{now}-{n}", Audience = deviceId, Subject = "user-sim", IssuedAt = now - 5, NotBefore = now - 5, Expires = now + validSeconds,
            SealId = sealId, ApplicationId = "app-sim-" + n, Uses = uses, OfflineUses = offlineUses, Mode = UseToken.ModeLock, Documents = documents, Fence = fence,
        }, device.Key, "v1");
    }

    public string IssueCabinetToken(string deviceId, int compartment, string sealId, long validSeconds = 120)
    {
        CloudDeviceRecord device = Device(deviceId);
        long now = _clock.UtcNowMs / 1000;
        int n;
        lock (_sync)
        {
            n = ++device.TokenCounter;
        }

        return UseTokenWriter.Write(new UseToken
        {
            Id = $"ctok-{deviceId}-{now}-{n}", Audience = deviceId, Subject = "user-sim", IssuedAt = now - 5, NotBefore = now - 5, Expires = now + validSeconds,
            SealId = sealId, ApplicationId = "app-sim-" + n, Uses = 1, Mode = UseToken.ModeCabinet, Compartment = compartment, Documents = [],
        }, device.Key, "v1");
    }

    /// <summary>Signs and publishes one command (fresh counter, one-minute validity); returns its id.</summary>
    public string SendCommand(string deviceId, MessageBody body)
    {
        CloudDeviceRecord device = Device(deviceId);
        long counter = NextCounter(device);
        string id = "cmd-" + counter;
        Publish(DeviceTopics.For(deviceId, TopicKind.Commands), Sign(device, body, counter, id), false);
        return id;
    }

    /// <summary>Updates and publishes the retained desired state (enable flag, current token).</summary>
    public void PublishDesired(string deviceId, bool? enabled = null, string? token = null)
    {
        CloudDeviceRecord device = Device(deviceId);
        DesiredStateBody body;
        long counter;
        lock (_sync)
        {
            device.DesiredVersion++;
            device.DesiredEnabled = enabled ?? device.DesiredEnabled;
            device.DesiredToken = token ?? device.DesiredToken;
            body = new DesiredStateBody { Version = device.DesiredVersion, Enabled = device.DesiredEnabled, Token = device.DesiredToken };
            counter = NextCounter(device);
        }

        Publish(DeviceTopics.For(deviceId, TopicKind.DesiredState), Sign(device, body, counter, string.Empty), true);
    }

    public long DesiredVersion(string deviceId) => Read(deviceId, d => d.DesiredVersion);

    public void Dispose()
    {
        _stopping = true;
        _inbound.CompleteAdding();
        _worker.Join(TimeSpan.FromSeconds(5));
        try
        {
            _client?.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Debug("cloud", "disconnect: " + e.Message);
        }

        _client?.Dispose();
    }

    private long NextCounter(CloudDeviceRecord device)
    {
        lock (_sync)
        {
            // Above every counter this cloud ever used for the device, also across simulator restarts.
            device.CommandCounter = Math.Max(device.CommandCounter + 1, _clock.UtcNowMs);
            return device.CommandCounter;
        }
    }

    private byte[] Sign(CloudDeviceRecord device, MessageBody body, long counter, string id)
    {
        long now = _clock.UtcNowMs;
        var envelope = new Envelope { DeviceId = device.DeviceId, Seq = counter, Time = now, Expires = now + 60_000, Type = body.Type, Id = id };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, device.Key);
    }

    private void Publish(string topic, byte[] payload, bool retain)
    {
        for (int attempt = 0; attempt < 50 && !_stopping; attempt++)
        {
            IMqttClient? client = _client;
            if (client is { IsConnected: true })
            {
                try
                {
                    MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
                    client.PublishAsync(message, CancellationToken.None).GetAwaiter().GetResult();
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _log.Debug("cloud", "publish failed, retrying: " + e.Message);
                }
            }
            else
            {
                Connect();
            }

            Thread.Sleep(100);
        }

        if (!_stopping)
        {
            _log.Error("cloud", $"could not publish to {topic}");
        }
    }

    private void Work()
    {
        var batch = new List<KeyValuePair<string, byte[]>>();
        while (!_inbound.IsCompleted)
        {
            if (!_inbound.TryTake(out KeyValuePair<string, byte[]> first, 200))
            {
                if (!_stopping && _client is { IsConnected: false })
                {
                    Connect(); // the broker restarted
                }

                continue;
            }

            batch.Clear();
            batch.Add(first);
            while (batch.Count < 1000 && _inbound.TryTake(out KeyValuePair<string, byte[]> more))
            {
                batch.Add(more);
            }

            var toAck = new HashSet<CloudDeviceRecord>();
            foreach (var (topic, payload) in batch)
            {
                CloudDeviceRecord? device = Handle(topic, payload);
                if (device != null)
                {
                    toAck.Add(device);
                }
            }

            foreach (CloudDeviceRecord device in toAck)
            {
                long[] seqs;
                lock (_sync)
                {
                    seqs = device.PendingAcks.ToArray();
                    device.PendingAcks.Clear();
                }

                if (seqs.Length > 0)
                {
                    Publish(DeviceTopics.For(device.DeviceId, TopicKind.Acks), Sign(device, new AckBody { Seqs = seqs }, NextCounter(device), string.Empty), false);
                    Interlocked.Increment(ref _acksSent);
                }
            }

            Interlocked.Add(ref _handled, batch.Count);
        }
    }

    private CloudDeviceRecord? Handle(string topic, byte[] payload)
    {
        TopicKind kind = DeviceTopics.Parse(topic, out string deviceId);
        if (kind == TopicKind.Unknown)
        {
            return null;
        }

        CloudDeviceRecord device = Device(deviceId);
        var envelope = new Envelope();
        if (EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out string detail) != ProtocolError.None || envelope.DeviceId != deviceId || !EnvelopeCodec.VerifyMac(envelope, device.Key))
        {
            lock (_sync)
            {
                device.Forged++;
            }

            _log.Error("cloud", $"{deviceId}: refused a message on {topic} that does not verify ({detail})");
            return null;
        }

        MessageBody? body = MessageCodec.Create(envelope.Type);
        if (body == null || MessageCodec.DecodeBody(envelope, body, out detail) != ProtocolError.None)
        {
            _log.Error("cloud", $"{deviceId}: {envelope.Type} body does not decode: {detail}");
            return null;
        }

        lock (_sync)
        {
            if (body is StatusBody status)
            {
                device.Online = status.Online;
                return null;
            }

            if (!device.Seqs.Add(envelope.Seq))
            {
                device.Duplicates++;
                if (AutoAck)
                {
                    device.PendingAcks.Add(envelope.Seq); // the ack was lost: say it again
                }

                return AutoAck ? device : null;
            }

            device.EventCount++;
            if (RecordBodies)
            {
                device.Events.Add(new ReceivedEvent(envelope.Seq, envelope.Type, System.Text.Encoding.UTF8.GetString(envelope.CopyBody())));
            }

            switch (body)
            {
                case StampedBody:
                    device.Stamps++;
                    break;
                case AlarmBody alarm:
                    device.Alarms[WireNames.AlarmTypes[(int)alarm.Alarm] + (alarm.Compartment > 0 ? "@" + alarm.Compartment : string.Empty)] = alarm.Active;
                    break;
                case PhotoManifestBody manifest when manifest.Purpose == PhotoPurpose.Before:
                    device.LastBeforePhotoAttempt = manifest.AttemptId;
                    break;
            }

            if (AutoAck)
            {
                device.PendingAcks.Add(envelope.Seq);
            }
        }

        return AutoAck ? device : null;
    }
}
