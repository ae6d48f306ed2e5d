using System.Collections.Concurrent;

namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Registry lookups on the hot path (every message, every login) without reading the whole row
/// each time. Before it answers (ingest: once per batch), the cache reads the registry's change feed past what this process
/// has seen (one indexed query that returns nothing almost always): a device provisioned, rotated
/// or retired by any process (another instance, the CLI) is forgotten and read afresh, so an old
/// key stops at the moment of rotation everywhere. Entries otherwise live a few seconds for the
/// fields ingest keeps changing. <see cref="Changed"/> tells the broker whose sessions to end.
/// </summary>
public sealed class DeviceCache(DeviceRepository repository, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastChange = new(StringComparer.Ordinal);
    private readonly Lock _feed = new();
    private long _seen = -1;

    /// <summary>Raised once per feed entry, in feed order, in the process that reads it first.</summary>
    public event Action<DeviceChange>? Changed;

    public async ValueTask<Device?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        await FindCaughtUpAsync(id, await CatchUpAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// The device as of feed position <paramref name="seen"/>, which the caller reached with
    /// <see cref="CatchUpAsync"/> just before: ingest catches up once per batch, not once per message.
    /// </summary>
    public async ValueTask<Device?> FindCaughtUpAsync(string id, long seen, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_entries.TryGetValue(id, out Entry? entry) && entry.Until > now && _lastChange.GetValueOrDefault(id) <= entry.ReadAt)
        {
            return entry.Device;
        }

        Device? device = await repository.FindAsync(id, cancellationToken);
        _entries[id] = new Entry(device, now + Lifetime, seen);
        return device;
    }

    public void Invalidate(string id) => _entries.TryRemove(id, out _);

    /// <summary>Reads the change feed past what this process has seen; returns the position reached.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long seen = Volatile.Read(ref _seen);
        if (seen < 0)
        {
            // At start nothing is cached: only what happens from now on matters.
            long latest = await repository.LatestChangeAsync(cancellationToken);
            lock (_feed)
            {
                _seen = Math.Max(_seen, latest);
                return _seen;
            }
        }

        IReadOnlyList<DeviceChange> changes = await repository.ChangesAfterAsync(seen, cancellationToken);
        if (changes.Count == 0)
        {
            return seen;
        }

        var fresh = new List<DeviceChange>();
        lock (_feed)
        {
            foreach (DeviceChange change in changes.Where(c => c.Seq > _seen))
            {
                _lastChange[change.DeviceId] = change.Seq;
                _entries.TryRemove(change.DeviceId, out _);
                fresh.Add(change);
                _seen = change.Seq;
            }

            seen = _seen;
        }

        foreach (DeviceChange change in fresh)
        {
            Changed?.Invoke(change);
        }

        return seen;
    }

    /// <summary>A cached row, until when it may serve, and the feed position it was read at.</summary>
    private sealed record Entry(Device? Device, DateTimeOffset Until, long ReadAt);
}
