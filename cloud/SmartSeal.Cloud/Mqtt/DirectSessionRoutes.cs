using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// The cloud's messages to one device, handed straight to that device's session in the embedded
/// broker. MQTTnet's <c>InjectApplicationMessage</c> matches every message against the
/// subscriptions of every connected session (a copy of the session list and a list per session):
/// with 1,000 devices an ack cost 133 µs and 43 KB, the largest stage of ingest. A device's acks,
/// commands and desired state go to its own exact topics, so when the device subscribed to exactly
/// that topic (QoS 1 or more) on its current connection, the message goes to its session's queue
/// directly — what the broker's matching would have found, without looking at the other sessions.
/// Anything else (retained messages, wildcard subscriptions, a session not found) takes the broker's
/// normal path.
/// </summary>
public sealed class DirectSessionRoutes
{
    private readonly ConcurrentDictionary<string, Route> _byDevice = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Route> _byTopic = new(StringComparer.Ordinal);
    private int _refreshing;
    private long _delivered;

    /// <summary>Messages queued on a session directly so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>A device's new connection: whatever it subscribed before belonged to its old session.</summary>
    public void Connected(string device)
    {
        var fresh = new Route(device);
        Route? old = null;
        _byDevice.AddOrUpdate(device, fresh, (_, previous) =>
        {
            old = previous;
            return fresh;
        });
        if (old != null)
        {
            ForgetTopics(old);
        }
    }

    /// <summary>The connection ended (its session with it: the embedded broker keeps no session past a disconnect).</summary>
    public void Disconnected(string device)
    {
        if (_byDevice.TryRemove(device, out Route? route))
        {
            ForgetTopics(route);
        }
    }

    /// <summary>The device subscribed (the broker accepted it): exact topics at QoS 1+ can be delivered directly.</summary>
    public void Subscribed(string device, MqttTopicFilter filter)
    {
        if (filter.QualityOfServiceLevel >= MqttQualityOfServiceLevel.AtLeastOnce && IsExact(filter.Topic) && _byDevice.TryGetValue(device, out Route? route))
        {
            route.Topics.TryAdd(filter.Topic, 0);
            _byTopic[filter.Topic] = route;
        }
    }

    public void Unsubscribed(string device, string topic)
    {
        if (_byDevice.TryGetValue(device, out Route? route) && route.Topics.TryRemove(topic, out _))
        {
            _byTopic.TryRemove(new KeyValuePair<string, Route>(topic, route));
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/> on the session of the device subscribed to exactly its
    /// topic. False: not known here (the caller sends it through the broker's matching instead).
    /// </summary>
    public async ValueTask<bool> TryDeliverAsync(MqttServer server, MqttApplicationMessage message)
    {
        if (message.Retain || !_byTopic.TryGetValue(message.Topic, out Route? route) || !IsCurrent(route))
        {
            return false;
        }

        MqttSessionStatus? session = route.Session ?? await FindSessionAsync(server, route);
        if (session == null)
        {
            return false;
        }

        try
        {
            // Dropped (the session's queue is full) is what the broker's matching would have done too.
            session.TryEnqueueApplicationMessage(message, out _);
            Interlocked.Increment(ref _delivered);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // the connection ended just now; the broker's path finds no subscriber either
        }
    }

    private static bool IsExact(string filter) =>
        !filter.Contains('#', StringComparison.Ordinal) && !filter.Contains('+', StringComparison.Ordinal) && !filter.StartsWith('$');

    private bool IsCurrent(Route route) => _byDevice.TryGetValue(route.Device, out Route? current) && ReferenceEquals(current, route);

    /// <summary>
    /// MQTTnet hands out sessions only as a list of all of them: read it once for every connected
    /// device that has none yet (after a connection storm, one read serves them all). One reader at a
    /// time; whoever finds it busy takes the broker's path for this message.
    /// </summary>
    private async Task<MqttSessionStatus?> FindSessionAsync(MqttServer server, Route route)
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return null;
        }

        try
        {
            foreach (MqttSessionStatus session in await server.GetSessionsAsync())
            {
                if (_byDevice.TryGetValue(session.Id, out Route? current) && current.Session == null && session.DisconnectedTimestamp == null)
                {
                    current.Session = session;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }

        return IsCurrent(route) ? route.Session : null;
    }

    private void ForgetTopics(Route route)
    {
        foreach (string topic in route.Topics.Keys)
        {
            _byTopic.TryRemove(new KeyValuePair<string, Route>(topic, route));
        }
    }

    /// <summary>One connection of a device: its session (once looked up) and the exact topics it subscribed.</summary>
    private sealed class Route(string device)
    {
        public string Device { get; } = device;

        public ConcurrentDictionary<string, byte> Topics { get; } = new(StringComparer.Ordinal);

        public volatile MqttSessionStatus? Session;
    }
}
