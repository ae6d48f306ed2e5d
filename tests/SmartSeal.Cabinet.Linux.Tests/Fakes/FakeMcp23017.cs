using System.Device.I2c;

namespace SmartSeal.Cabinet.Linux.Tests.Fakes;

/// <summary>
/// An MCP23017 on the I²C bus as its datasheet describes it (IOCON.BANK = 0, sequential
/// addressing): the first byte of a write sets the register pointer, further bytes are written
/// from there on with auto-increment, reads continue from the pointer. GPIO reads return OLAT on
/// outputs and the outside level on inputs (pulled up when GPPU is set); writes to GPIO land in
/// OLAT. Every register write is logged so tests can check the exact bytes the binding sent.
/// </summary>
public sealed class FakeMcp23017(int address) : I2cDevice
{
    public const byte Iodir = 0x00;
    public const byte Iocon = 0x0A;
    public const byte Gppu = 0x0C;
    public const byte Gpio = 0x12;
    public const byte Olat = 0x14;
    private const int RegisterCount = 0x16;

    private readonly byte[] _registers = Reset();
    private readonly bool[] _externalLow = new bool[16];
    private int _pointer;

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, address);

    /// <summary>(register, value) of every register write, oldest first.</summary>
    public List<(byte Register, byte Value)> Writes { get; } = [];

    public bool IsOutput(int pin) => (Register16(Iodir) & (1 << pin)) == 0;

    public bool IsPulledUp(int pin) => (Register16(Gppu) & (1 << pin)) != 0;

    /// <summary>True when <paramref name="pin"/> is an output driving high.</summary>
    public bool DrivesHigh(int pin) => IsOutput(pin) && (Register16(Olat) & (1 << pin)) != 0;

    /// <summary>A contact on <paramref name="pin"/> closes to ground (true) or opens (false, the pull-up wins).</summary>
    public void PullLow(int pin, bool low) => _externalLow[pin] = low;

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = ReadRegister(_pointer);
            _pointer = (_pointer + 1) % RegisterCount;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (buffer[0] >= RegisterCount)
        {
            throw new IOException($"MCP23017 has no register 0x{buffer[0]:X2} (NACK)");
        }

        _pointer = buffer[0];
        foreach (byte value in buffer[1..])
        {
            WriteRegister(_pointer, value);
            _pointer = (_pointer + 1) % RegisterCount;
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private static byte[] Reset()
    {
        var registers = new byte[RegisterCount];
        registers[Iodir] = 0xFF; // every pin an input after power-on
        registers[Iodir + 1] = 0xFF;
        return registers;
    }

    private void WriteRegister(int register, byte value)
    {
        Writes.Add(((byte)register, value));
        if ((register == Iocon || register == Iocon + 1) && (value & 0x80) != 0)
        {
            throw new InvalidOperationException("IOCON.BANK = 1 would move every register; this model (and the board) uses BANK = 0");
        }

        // Writing GPIO writes the output latch (datasheet §3.5.10).
        _registers[register is Gpio or Gpio + 1 ? register + 2 : register] = value;
    }

    private byte ReadRegister(int register)
    {
        if (register is not (Gpio or Gpio + 1))
        {
            return _registers[register];
        }

        int port = register - Gpio;
        int value = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            int pin = (port * 8) + bit;
            bool high = IsOutput(pin) ? DrivesHigh(pin) : !_externalLow[pin] && IsPulledUp(pin);
            value |= high ? 1 << bit : 0;
        }

        return (byte)value;
    }

    private int Register16(byte portA) => _registers[portA] | (_registers[portA + 1] << 8);
}
