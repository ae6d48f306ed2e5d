using System.Collections.Concurrent;

namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Registry lookups on the hot path (every message, every login) without a query each time.
/// Entries live a few seconds; provisioning and key rotation invalidate them at once, and in a
/// multi-instance setup the short lifetime bounds how long another instance's change takes to show.
/// </summary>
public sealed class DeviceCache(DeviceRepository repository, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (Device? Device, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<Device?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_entries.TryGetValue(id, out var entry) && entry.Until > now)
        {
            return entry.Device;
        }

        Device? device = await repository.FindAsync(id, cancellationToken);
        _entries[id] = (device, now + Lifetime);
        return device;
    }

    public void Invalidate(string id) => _entries.TryRemove(id, out _);
}
