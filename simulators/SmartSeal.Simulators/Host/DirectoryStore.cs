using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// A device's flash as a folder of files (one file per record), so a simulated device keeps its
/// counters, token, replay guard and offline queue across restarts of the simulator. Writes are
/// atomic like the device driver's: write a temporary file, then rename it over the record.
/// <see cref="FreeBytes"/> comes from a configured capacity, counted like the device's flash
/// (record bytes plus a directory entry's overhead).
/// </summary>
public sealed class DirectoryStore : IPersistentStore
{
    public const int EntryOverheadBytes = 64;
    private const string TempSuffix = ".tmp";

    private readonly string _folder;
    private readonly long _capacityBytes;
    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);
    private readonly object _sync = new();
    private long _usedBytes;

    public DirectoryStore(string folder, long capacityBytes)
    {
        _folder = folder;
        _capacityBytes = capacityBytes;
        Directory.CreateDirectory(folder);
        foreach (string path in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                File.Delete(path); // a write the "power cut" interrupted: the old record still stands
                continue;
            }

            long size = new FileInfo(path).Length;
            _sizes[name] = size;
            _usedBytes += size + EntryOverheadBytes;
        }
    }

    public string Folder => _folder;

    public long FreeBytes
    {
        get
        {
            lock (_sync)
            {
                return _capacityBytes - _usedBytes;
            }
        }
    }

    public byte[]? Read(string name)
    {
        CheckName(name);
        lock (_sync)
        {
            return _sizes.ContainsKey(name) ? File.ReadAllBytes(Path.Combine(_folder, name)) : null;
        }
    }

    public void Write(string name, byte[] data)
    {
        CheckName(name);
        lock (_sync)
        {
            long old = _sizes.TryGetValue(name, out long size) ? size + EntryOverheadBytes : 0;
            long needed = data.Length + EntryOverheadBytes - old;
            if (needed > _capacityBytes - _usedBytes)
            {
                throw new IOException("flash full");
            }

            string target = Path.Combine(_folder, name);
            string temp = target + TempSuffix;
            File.WriteAllBytes(temp, data);
            File.Move(temp, target, overwrite: true);
            _sizes[name] = data.Length;
            _usedBytes += needed;
        }
    }

    public void Delete(string name)
    {
        CheckName(name);
        lock (_sync)
        {
            if (_sizes.Remove(name, out long size))
            {
                File.Delete(Path.Combine(_folder, name));
                _usedBytes -= size + EntryOverheadBytes;
            }
        }
    }

    public string[] List(string prefix)
    {
        lock (_sync)
        {
            return _sizes.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        }
    }

    /// <summary>Record names follow the device's flash rules; anything else is a firmware bug worth failing on.</summary>
    private static void CheckName(string name)
    {
        if (name.Length == 0 || name.Length > 32 || name.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-')))
        {
            throw new ArgumentException($"record name '{name}' breaks the flash naming rules", nameof(name));
        }
    }
}
