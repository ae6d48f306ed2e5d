using System.Text;
using SmartSeal.Drivers.Esp32.Serial;

namespace SmartSeal.Firmware.Tests.Drivers;

/// <summary>
/// A SIM7080G on the other end of the UART: each command line (ending in CR) is recorded and
/// answered by <see cref="Reply"/>; a command answered with the data prompt "> " takes the next
/// <c>n</c> bytes written as its data. Thread-safe: AtChannel reads from its own thread.
/// </summary>
internal sealed class ScriptedModem : IByteChannel
{
    private readonly object _sync = new();
    private readonly Queue<byte> _pending = new();
    private readonly StringBuilder _command = new();
    private int _dataBytesExpected;
    private readonly List<byte> _data = new();

    /// <summary>Answer to a command line (without CR): the bytes the modem sends, or "" for silence.</summary>
    public Func<string, string> Reply { get; set; } = _ => "\r\nOK\r\n";

    /// <summary>After the data of a prompted command: what the modem sends.</summary>
    public string DataReply { get; set; } = "\r\nOK\r\n";

    public List<string> Commands { get; } = new();

    public List<byte[]> Data { get; } = new();

    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_sync)
        {
            for (int i = offset; i < offset + count; i++)
            {
                Accept(buffer[i]);
            }

            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>An unsolicited line from the modem (+SMSUB, +SMSTATE).</summary>
    public void Unsolicited(string line)
    {
        lock (_sync)
        {
            Send("\r\n" + line + "\r\n");
            Monitor.PulseAll(_sync);
        }
    }

    public int Read(byte[] buffer, int offset, int count, int silenceMs)
    {
        lock (_sync)
        {
            if (_pending.Count == 0)
            {
                Monitor.Wait(_sync, silenceMs);
            }

            int read = 0;
            while (read < count && _pending.TryDequeue(out byte b))
            {
                buffer[offset + read++] = b;
            }

            return read;
        }
    }

    public void Discard(int settleMs)
    {
        lock (_sync)
        {
            _pending.Clear();
        }
    }

    private void Accept(byte b)
    {
        if (_dataBytesExpected > 0)
        {
            _data.Add(b);
            if (--_dataBytesExpected == 0)
            {
                Data.Add(_data.ToArray());
                _data.Clear();
                Send(DataReply);
            }

            return;
        }

        if (b != '\r')
        {
            _command.Append((char)b);
            return;
        }

        string line = _command.ToString();
        _command.Clear();
        Commands.Add(line);
        string reply = Reply(line);
        if (reply == "> " && line.StartsWith("AT+SMPUB=", StringComparison.Ordinal))
        {
            _dataBytesExpected = int.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        Send(reply);
    }

    private void Send(string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            _pending.Enqueue(b);
        }
    }
}
