using SmartSeal.Drivers.Esp32.Serial;

namespace SmartSeal.Firmware.Tests.Drivers;

/// <summary>
/// A UART whose device answers each written frame with scripted bytes, recording every frame
/// written. An empty script means the device stays silent: Read returns 0, as the real channel
/// does once its silence timeout passes (no time needs to pass in the test).
/// </summary>
internal sealed class ScriptedChannel : IByteChannel
{
    private readonly Queue<byte[]> _answers = new();
    private readonly Queue<byte> _pending = new();

    public List<byte[]> Written { get; } = new();

    public List<int> Discards { get; } = new();

    /// <summary>Bytes the device sends after the next frame written (one entry per frame, in order).</summary>
    public ScriptedChannel Answer(params byte[] bytes)
    {
        _answers.Enqueue(bytes);
        return this;
    }

    /// <summary>The device does not answer the next frame.</summary>
    public ScriptedChannel Silence() => Answer();

    /// <summary>Bytes already waiting (a boot banner, a late reply) before the next frame.</summary>
    public void Noise(params byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            _pending.Enqueue(b);
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        Written.Add(buffer.AsSpan(offset, count).ToArray());
        if (_answers.TryDequeue(out byte[]? answer))
        {
            foreach (byte b in answer)
            {
                _pending.Enqueue(b);
            }
        }
    }

    public int Read(byte[] buffer, int offset, int count, int silenceMs)
    {
        int read = 0;
        while (read < count && _pending.TryDequeue(out byte b))
        {
            buffer[offset + read++] = b;
        }

        return read;
    }

    public void Discard(int settleMs)
    {
        Discards.Add(settleMs);
        _pending.Clear();
    }

    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));
}
