namespace SmartSeal.Drivers.Esp32.Expander
{
    /// <summary>
    /// An MCP23017 16-bit I²C port expander (pins 0-7 = port A, 8-15 = port B), register by register.
    /// Registers at their power-on addresses (IOCON.BANK = 0: A and B of each register side by side)
    /// and sequential mode (IOCON.SEQOP = 0), so one transfer writes or reads A then B:
    /// write <c>[register, A, B]</c>; read: write <c>[register]</c>, read <c>[A, B]</c>
    /// (Microchip MCP23017 datasheet DS20001952, "Register Addresses" table and "Sequential Operation").
    /// Keeps the direction and output latches in memory so one pin changes without a read-modify-write.
    /// A transfer the chip does not acknowledge is counted, not thrown (as the binding it replaces
    /// did): the next write sends the whole latch again, and a failed read keeps the last levels.
    /// </summary>
    public class Mcp23017Expander
    {
        public const byte IodirA = 0x00; // direction, 1 = input (power-on 0xFF)
        public const byte GppuA = 0x0C; // 100 kΩ pull-up, 1 = on (power-on 0x00)
        public const byte GpioA = 0x12; // port level
        public const byte OlatA = 0x14; // output latch

        private readonly II2cChannel _chip;
        private readonly object _sync = new object();
        private readonly byte[] _write3 = new byte[3];
        private readonly byte[] _write1 = new byte[1];
        private readonly byte[] _read2 = new byte[2];
        private ushort _directions = 0xFFFF; // 1 = input (power-on default)
        private ushort _outputs;
        private ushort _lastInputs = 0xFFFF; // pulled-up inputs read high until the first good read

        /// <summary>Drives every output latch low, then makes every pin an input (the power-on state, also after a reboot without power loss).</summary>
        public Mcp23017Expander(II2cChannel chip)
        {
            _chip = chip;
            WriteRegister(OlatA, 0);
            WriteRegister(IodirA, _directions);
        }

        /// <summary>Makes a pin an output, driven low first so a latch never pulses open.</summary>
        /// <summary>Transfers the chip did not acknowledge since power-on (for telemetry).</summary>
        public int TransferFailures { get; private set; }

        public void MakeOutput(int pin)
        {
            lock (_sync)
            {
                _outputs = (ushort)(_outputs & ~(1 << pin));
                WriteRegister(OlatA, _outputs);
                _directions = (ushort)(_directions & ~(1 << pin));
                WriteRegister(IodirA, _directions);
            }
        }

        /// <summary>Makes a pin an input with its pull-up on (switches pull to ground).</summary>
        public void MakeInput(int pin)
        {
            lock (_sync)
            {
                _directions = (ushort)(_directions | (1 << pin));
                WriteRegister(IodirA, _directions);
                ushort pullUps;
            if (ReadRegister(GppuA, out pullUps))
            {
                WriteRegister(GppuA, (ushort)(pullUps | (1 << pin)));
            }
            }
        }

        public void Write(int pin, bool high)
        {
            lock (_sync)
            {
                _outputs = high ? (ushort)(_outputs | (1 << pin)) : (ushort)(_outputs & ~(1 << pin));
                WriteRegister(OlatA, _outputs);
            }
        }

        public bool IsHigh(int pin)
        {
            return (ReadInputs() & (1 << pin)) != 0;
        }

        /// <summary>Both ports' levels, port A in the low byte.</summary>
        public ushort ReadInputs()
        {
            lock (_sync)
            {
                ushort levels;
                if (ReadRegister(GpioA, out levels))
                {
                    _lastInputs = levels;
                }

                return _lastInputs;
            }
        }

        private void WriteRegister(byte register, ushort value)
        {
            _write3[0] = register;
            _write3[1] = (byte)value;
            _write3[2] = (byte)(value >> 8);
            if (!_chip.Write(_write3))
            {
                TransferFailures++;
            }
        }

        private bool ReadRegister(byte register, out ushort value)
        {
            _write1[0] = register;
            value = 0;
            if (!_chip.WriteRead(_write1, _read2))
            {
                TransferFailures++;
                return false;
            }

            value = (ushort)(_read2[0] | (_read2[1] << 8));
            return true;
        }
    }
}
