using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Exceptions;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A lightweight lock for fleet tests: an MQTT client that signs real envelopes with its derived
/// key (Cloud.Tests' <see cref="DeviceClient"/>) plus what the firmware's outbox does — keep every
/// event until the cloud acknowledges it, and publish the unacknowledged ones again. Given a way to
/// <paramref name="reconnect"/>, it also survives its broker going away as the firmware does: a stamp
/// whose publish fails stays in the outbox, the lock connects again and resends what is still open.
/// </summary>
public sealed class OutboxDevice(DeviceClient client, string tokenId, Func<Task<DeviceClient>>? reconnect = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, byte[]> _sent = new();
    private readonly HashSet<long> _ackedOnEarlierConnections = [];
    private DeviceClient _client = client;
    private long _seq;

    public string DeviceId => _client.DeviceId;

    public DeviceClient Client => _client;

    /// <summary>Events published so far (each seq once, whatever the resends).</summary>
    public int Sent => _sent.Count;

    /// <summary>Times the lock connected again after losing its broker.</summary>
    public int Reconnects { get; private set; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Signs and publishes the next stamp under the lock's use token (QoS 1). A reconnecting lock
    /// keeps the stamp in its outbox when the broker is gone and returns false.
    /// </summary>
    public async Task<bool> StampAsync()
    {
        long seq = Interlocked.Increment(ref _seq);
        byte[] envelope = _client.Sign(new StampedBody { AttemptId = $"att-{seq}", TokenId = tokenId, DocumentId = "doc-1", Page = 1 }, seq);
        _sent[seq] = envelope;
        return await PublishAsync(envelope);
    }

    /// <summary>Seqs the cloud acknowledged, on this connection and the earlier ones.</summary>
    public HashSet<long> Acknowledged()
    {
        HashSet<long> acked = _client.AcknowledgedSeqs();
        acked.UnionWith(_ackedOnEarlierConnections);
        return acked;
    }

    public long[] Unacknowledged() => _sent.Keys.Except(Acknowledged()).Order().ToArray();

    /// <summary>
    /// Connects again (one attempt) and, connected, publishes everything still unacknowledged, as
    /// the firmware does after it reconnects. False when the broker is not there (yet).
    /// </summary>
    public async Task<bool> TryReconnectAsync()
    {
        if (reconnect == null || _client.IsConnected)
        {
            return _client.IsConnected;
        }

        DeviceClient fresh;
        try
        {
            fresh = await reconnect();
        }
        catch (Exception e) when (e is MqttLoginRefusedException || IsConnectionLoss(e))
        {
            return false;
        }

        _ackedOnEarlierConnections.UnionWith(_client.AcknowledgedSeqs());
        _client.Kill();
        _client = fresh;
        Reconnects++;
        foreach (long seq in Unacknowledged())
        {
            if (!await PublishAsync(_sent[seq]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits until every event is acknowledged, resending what is still open every
    /// <paramref name="resendAfter"/> (the firmware waits 30 s; tests wait less) and, for a
    /// reconnecting lock, connecting again whenever the connection is gone.
    /// </summary>
    public async Task DrainAsync(TimeSpan resendAfter, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan lastResend = TimeSpan.Zero;
        while (true)
        {
            long[] open = Unacknowledged();
            if (open.Length == 0)
            {
                return;
            }

            Assert.True(stopwatch.Elapsed < timeout, $"{DeviceId}: seqs {string.Join(",", open)} never acknowledged");
            if (!_client.IsConnected && reconnect != null)
            {
                if (await TryReconnectAsync())
                {
                    lastResend = stopwatch.Elapsed;
                }
            }
            else if (stopwatch.Elapsed - lastResend >= resendAfter)
            {
                lastResend = stopwatch.Elapsed;
                foreach (long seq in open)
                {
                    if (!await PublishAsync(_sent[seq]))
                    {
                        break;
                    }
                }
            }

            await Task.Delay(250); // pacing: the simulated outbox looks for unacknowledged events four times a second
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>What MQTTnet throws when the broker is gone or goes away mid-publish.</summary>
    private static bool IsConnectionLoss(Exception e) =>
        e is MqttCommunicationException or MqttClientDisconnectedException or MqttClientNotConnectedException or OperationCanceledException or ObjectDisposedException;

    /// <summary>QoS 1 publish; for a reconnecting lock a lost connection is not an error (the event stays in the outbox).</summary>
    private async Task<bool> PublishAsync(byte[] envelope)
    {
        string topic = DeviceTopics.For(DeviceId, TopicKind.Events);
        if (reconnect == null)
        {
            await _client.PublishAsync(topic, envelope);
            return true;
        }

        try
        {
            await _client.PublishAsync(topic, envelope);
            return true;
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            return false;
        }
    }
}
