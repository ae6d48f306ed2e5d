using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// The portal's live feed in memory: every published event gets the next id, is kept in a bounded
/// ring (so a reconnecting client resumes from <c>Last-Event-ID</c>) and is handed to each connected
/// subscriber's own bounded queue (a slow client loses its oldest events, never slows publishers).
/// Per instance: behind a load balancer a client resumes on the instance it was connected to, or
/// gets a <c>reset</c> and reloads.
/// </summary>
public sealed class LiveFeedHub(int ringSize = LiveFeedHub.DefaultRingSize)
{
    public const int DefaultRingSize = 2048;
    private const int SubscriberQueue = 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private readonly object _gate = new();
    private readonly LinkedList<LiveEvent> _ring = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly string _boot = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    private long _seq;

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public LiveEvent Publish(string eventName, string deviceId, object data)
    {
        string json = JsonSerializer.Serialize(data, Json);
        lock (_gate)
        {
            long seq = ++_seq;
            var liveEvent = new LiveEvent($"{_boot}-{seq}", seq, eventName, deviceId, json);
            _ring.AddLast(liveEvent);
            if (_ring.Count > ringSize)
            {
                _ring.RemoveFirst();
            }

            foreach (Subscriber subscriber in _subscribers)
            {
                if (subscriber.Wants(liveEvent))
                {
                    subscriber.Queue.Writer.TryWrite(liveEvent);
                }
            }

            return liveEvent;
        }
    }

    /// <summary>
    /// Subscribes (optionally to one device) and, atomically with it, collects what the client
    /// missed after <paramref name="lastEventId"/>. <see cref="Subscription.Gap"/> is set when that id
    /// is from another process or older than the ring: the client must reload its state.
    /// </summary>
    public Subscription Subscribe(string? deviceFilter, string? lastEventId, LiveFeedAudience? audience = null)
    {
        var subscriber = new Subscriber(deviceFilter, audience ?? LiveFeedAudience.Everyone, Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        lock (_gate)
        {
            var missed = new List<LiveEvent>();
            bool gap = false;
            if (lastEventId is { Length: > 0 })
            {
                if (TryParse(lastEventId, out long lastSeq))
                {
                    long oldest = _ring.First?.Value.Seq ?? _seq + 1;
                    gap = lastSeq < oldest - 1 || lastSeq > _seq;
                    missed.AddRange(_ring.Where(e => e.Seq > lastSeq && subscriber.Wants(e)));
                }
                else
                {
                    gap = true;
                }
            }

            _subscribers.Add(subscriber);
            return new Subscription(this, subscriber, missed, gap);
        }
    }

    private bool TryParse(string id, out long seq)
    {
        seq = 0;
        int dash = id.LastIndexOf('-');
        return dash > 0
            && id.AsSpan(0, dash).SequenceEqual(_boot)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }

        subscriber.Queue.Writer.TryComplete();
    }

    public sealed class Subscriber(string? deviceFilter, LiveFeedAudience audience, Channel<LiveEvent> queue)
    {
        public Channel<LiveEvent> Queue { get; } = queue;

        /// <summary>Who the subscriber is allowed to watch; replaced while the stream runs (new devices and seals).</summary>
        public LiveFeedAudience Audience { get; set; } = audience;

        public bool Wants(LiveEvent liveEvent) => (deviceFilter is null || liveEvent.DeviceId == deviceFilter) && Audience.Sees(liveEvent);
    }

    public sealed class Subscription(LiveFeedHub hub, Subscriber subscriber, IReadOnlyList<LiveEvent> missed, bool gap) : IDisposable
    {
        public IReadOnlyList<LiveEvent> Missed { get; } = missed;

        public bool Gap { get; } = gap;

        public ChannelReader<LiveEvent> Events => subscriber.Queue.Reader;

        public void ChangeAudience(LiveFeedAudience audience) => subscriber.Audience = audience;

        public void Dispose() => hub.Remove(subscriber);
    }
}
