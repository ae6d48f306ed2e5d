using System.Collections.Concurrent;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Cloud.Security;

/// <summary>
/// Derives device keys from the master key (DESIGN.md §4): the cloud stores no per-device secret,
/// only each device's key version. Derived keys are cached per (device, version).
/// </summary>
public sealed class DeviceKeyring(MasterKey master)
{
    private readonly ConcurrentDictionary<(string, int), byte[]> _cache = new();

    public byte[] KeyFor(string deviceId, int keyVersion) =>
        _cache.GetOrAdd((deviceId, keyVersion), k => DeviceKeys.Derive(master.Bytes, k.Item1, k.Item2));
}
