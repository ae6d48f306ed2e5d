using System.Device.Spi;

namespace SmartSeal.Cabinet.Linux.Tests.Fakes;

/// <summary>
/// An MFRC522 on SPI with one ISO 14443-A card (4-byte UID) in front of it, modelled at register
/// level from the datasheet: address byte <c>(reg &lt;&lt; 1) | read-bit</c>, the FIFO, ComIrq/DivIrq
/// set/clear semantics, Transceive on BitFraming.StartSend, the CRC coprocessor (CalcCRC, CRC_A
/// preset 0x6363). The card answers REQA only while IDLE, anticollision and SELECT only while
/// READY, and SELECT only with the right BCC and CRC_A: wrong frames are recorded, not answered.
/// </summary>
public sealed class FakeMfrc522(int bus, int chipSelect) : SpiDevice
{
    private const int CommandReg = 0x01, ComIrqReg = 0x04, DivIrqReg = 0x05, ErrorReg = 0x06, FifoDataReg = 0x09, FifoLevelReg = 0x0A;
    private const int ControlReg = 0x0C, BitFramingReg = 0x0D, TxControlReg = 0x14, CrcResultHigh = 0x21, CrcResultLow = 0x22, VersionReg = 0x37;
    private const byte Idle = 0x00, CalcCrc = 0x03, Transceive = 0x0C, SoftReset = 0x0F;
    private const byte RxIrq = 0x20, IdleIrq = 0x10, TimerIrq = 0x01, CrcIrq = 0x04;

    private readonly byte[] _registers = new byte[64];
    private readonly Queue<byte> _fifo = new();
    private CardState _card = CardState.Idle;

    private enum CardState
    {
        Idle,
        Ready,
        Active,
    }

    public override SpiConnectionSettings ConnectionSettings { get; } = new(bus, chipSelect);

    /// <summary>UID of the card in the field; null = no card.</summary>
    public byte[]? Card { get; set; }

    /// <summary>Frames the card rejected (wrong command for its state, bad BCC or CRC), as hex.</summary>
    public List<string> RejectedFrames { get; } = [];

    /// <summary>Every frame the reader transmitted, as hex, oldest first.</summary>
    public List<string> Frames { get; } = [];

    private bool AntennaOn => (_registers[TxControlReg] & 0x03) == 0x03;

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        int address = (writeBuffer[0] >> 1) & 0x3F;
        if ((writeBuffer[0] & 0x80) == 0)
        {
            // Write: every following byte goes to the same register (FIFO pushes several).
            foreach (byte value in writeBuffer[1..].ToArray())
            {
                WriteRegister(address, value);
            }

            readBuffer.Clear();
            return;
        }

        // Read: byte i+1 answers the address sent in byte i; the closing 0x00 ends the burst.
        // The binding passes one buffer as both sides, so take the addresses before answering.
        byte[] addresses = writeBuffer.ToArray();
        readBuffer[0] = 0;
        for (int i = 0; i + 1 < addresses.Length; i++)
        {
            readBuffer[i + 1] = ReadRegister((addresses[i] >> 1) & 0x3F);
        }
    }

    public override byte ReadByte() => throw new NotSupportedException("the MFRC522 is addressed with full-duplex transfers");

    public override void Read(Span<byte> buffer) => throw new NotSupportedException("the MFRC522 is addressed with full-duplex transfers");

    public override void WriteByte(byte value) => throw new NotSupportedException("the MFRC522 is addressed with full-duplex transfers");

    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException("the MFRC522 is addressed with full-duplex transfers");

    /// <summary>CRC_A of ISO/IEC 14443-3 (preset 0x6363, reflected polynomial 0x8408), low byte first.</summary>
    public static byte[] CrcA(ReadOnlySpan<byte> data)
    {
        int crc = 0x6363;
        foreach (byte b in data)
        {
            int x = b ^ (crc & 0xFF);
            x = (x ^ (x << 4)) & 0xFF;
            crc = ((crc >> 8) ^ (x << 8) ^ (x << 3) ^ (x >> 4)) & 0xFFFF;
        }

        return [(byte)crc, (byte)(crc >> 8)];
    }

    private byte ReadRegister(int address) => address switch
    {
        FifoDataReg => _fifo.Count > 0 ? _fifo.Dequeue() : (byte)0,
        FifoLevelReg => (byte)_fifo.Count,
        VersionReg => 0x92,
        _ => _registers[address],
    };

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case FifoDataReg:
                _fifo.Enqueue(value);
                break;
            case FifoLevelReg:
                if ((value & 0x80) != 0)
                {
                    _fifo.Clear();
                }

                break;
            case ComIrqReg or DivIrqReg:
                // Bit 7 chooses: 1 sets the marked bits, 0 clears them.
                _registers[address] = (value & 0x80) != 0 ? (byte)(_registers[address] | (value & 0x7F)) : (byte)(_registers[address] & ~value);
                break;
            case CommandReg:
                _registers[address] = value;
                Execute(value & 0x0F);
                break;
            case TxControlReg:
                _registers[address] = value;
                if (!AntennaOn)
                {
                    _card = CardState.Idle; // no field, no power: the card forgets being selected
                }

                break;
            case BitFramingReg:
                _registers[address] = (byte)(value & 0x7F);
                if ((value & 0x80) != 0 && (_registers[CommandReg] & 0x0F) == Transceive)
                {
                    Transmit(value & 0x07);
                }

                break;
            default:
                _registers[address] = value;
                break;
        }
    }

    private void Execute(int command)
    {
        if (command == CalcCrc)
        {
            byte[] crc = CrcA(_fifo.ToArray());
            _fifo.Clear();
            _registers[CrcResultLow] = crc[0];
            _registers[CrcResultHigh] = crc[1];
            _registers[DivIrqReg] |= CrcIrq;
        }
        else if (command == SoftReset)
        {
            Array.Clear(_registers);
            _fifo.Clear();
        }
    }

    private void Transmit(int lastBits)
    {
        byte[] frame = _fifo.ToArray();
        _fifo.Clear();
        Frames.Add(Convert.ToHexString(frame) + (lastBits == 0 ? string.Empty : $"/{lastBits}"));
        _registers[ErrorReg] = 0;
        _registers[ControlReg] = 0; // RxLastBits: whole bytes received
        byte[]? answer = AntennaOn && Card != null ? Answer(frame, lastBits) : null;
        if (answer == null)
        {
            _registers[ComIrqReg] |= TimerIrq; // nothing came back before the timer ran out
            return;
        }

        foreach (byte b in answer)
        {
            _fifo.Enqueue(b);
        }

        _registers[ComIrqReg] |= RxIrq | IdleIrq;
        _registers[CommandReg] = Idle;
    }

    private byte[]? Answer(byte[] frame, int lastBits)
    {
        byte[] uid = Card!;
        byte bcc = (byte)(uid[0] ^ uid[1] ^ uid[2] ^ uid[3]);
        if (frame is [0x26] && lastBits == 7 && _card == CardState.Idle)
        {
            _card = CardState.Ready;
            return [0x04, 0x00]; // ATQA: single-size UID, bit-frame anticollision
        }

        if (frame is [0x93, 0x20] && lastBits == 0 && _card == CardState.Ready)
        {
            return [uid[0], uid[1], uid[2], uid[3], bcc];
        }

        if (frame.Length == 9 && frame[0] == 0x93 && frame[1] == 0x70 && _card == CardState.Ready
            && frame.AsSpan(2, 4).SequenceEqual(uid) && frame[6] == bcc && frame.AsSpan(7).SequenceEqual(CrcA(frame.AsSpan(0, 7))))
        {
            _card = CardState.Active;
            byte[] sak = [0x08]; // MIFARE Classic 1K: UID complete, no ISO 14443-4
            return [.. sak, .. CrcA(sak)];
        }

        RejectedFrames.Add(Convert.ToHexString(frame));
        if (_card == CardState.Active)
        {
            _card = CardState.Idle; // an unexpected frame sends a selected card back to IDLE
        }

        return null;
    }
}
