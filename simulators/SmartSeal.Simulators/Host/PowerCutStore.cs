using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// Puts power-cut injection in front of any flash (the <see cref="DirectoryStore"/> included):
/// after <see cref="CutPowerAfter"/> more writes or deletes, the next one throws
/// <see cref="PowerCutException"/> without taking effect, and every later one does too until
/// <see cref="RestorePower"/>. What was written stays written.
/// </summary>
public sealed class PowerCutStore : IPersistentStore
{
    private readonly IPersistentStore _inner;
    private int _mutationsUntilCut = -1;
    private bool _powerOff;

    public PowerCutStore(IPersistentStore inner)
    {
        _inner = inner;
    }

    /// <summary>Writes and deletes performed so far (tests cut power at each of them in turn).</summary>
    public int MutationCount { get; private set; }

    public long FreeBytes => _inner.FreeBytes;

    public bool PowerIsOff => _powerOff;

    public void CutPowerAfter(int mutations)
    {
        _mutationsUntilCut = mutations;
    }

    public void RestorePower()
    {
        _mutationsUntilCut = -1;
        _powerOff = false;
    }

    public byte[]? Read(string name) => _inner.Read(name);

    public string[] List(string prefix) => _inner.List(prefix);

    public void Write(string name, byte[] data)
    {
        BeforeMutation();
        _inner.Write(name, data);
    }

    public void Delete(string name)
    {
        BeforeMutation();
        _inner.Delete(name);
    }

    private void BeforeMutation()
    {
        if (_powerOff)
        {
            throw new PowerCutException();
        }

        if (_mutationsUntilCut == 0)
        {
            _powerOff = true;
            throw new PowerCutException();
        }

        if (_mutationsUntilCut > 0)
        {
            _mutationsUntilCut--;
        }

        MutationCount++;
    }
}
