using System.Device.I2c;
using Iot.Device.Mcp23xxx;

namespace SmartSeal.Drivers.Esp32.Expander
{
    /// <summary>
    /// One MCP23017 used as 16 plain I/O pins (0..7 = GPA0..7, 8..15 = GPB0..7), driven through its
    /// registers: nanoFramework's Mcp23017 exposes registers publicly, its pin API only to a
    /// GpioController. Outputs are written from a cached OLAT so one latch never disturbs another.
    /// </summary>
    public class Mcp23017Expander
    {
        private readonly Mcp23017 _chip;
        private readonly object _sync = new object();
        private ushort _directions = 0xFFFF; // 1 = input (power-on default)
        private ushort _outputs;

        public Mcp23017Expander(int i2cBusId, int address)
        {
            _chip = new Mcp23017(I2cDevice.Create(new I2cConnectionSettings(i2cBusId, address, I2cBusSpeed.FastMode)));
            Address = address;
            _chip.WriteUInt16(Register.OLAT, 0);
            _chip.WriteUInt16(Register.IODIR, _directions);
        }

        public int Address { get; private set; }

        /// <summary>Makes <paramref name="pin"/> an output driven low (fail-secure: latches de-energised).</summary>
        public void MakeOutput(int pin)
        {
            lock (_sync)
            {
                _outputs = (ushort)(_outputs & ~(1 << pin));
                _chip.WriteUInt16(Register.OLAT, _outputs);
                _directions = (ushort)(_directions & ~(1 << pin));
                _chip.WriteUInt16(Register.IODIR, _directions);
            }
        }

        /// <summary>Makes <paramref name="pin"/> an input with the internal 100 kΩ pull-up (switches pull to ground).</summary>
        public void MakeInput(int pin)
        {
            lock (_sync)
            {
                _directions = (ushort)(_directions | (1 << pin));
                _chip.WriteUInt16(Register.IODIR, _directions);
                ushort pullUps = _chip.ReadUInt16(Register.GPPU);
                _chip.WriteUInt16(Register.GPPU, (ushort)(pullUps | (1 << pin)));
            }
        }

        public void Write(int pin, bool high)
        {
            lock (_sync)
            {
                _outputs = high ? (ushort)(_outputs | (1 << pin)) : (ushort)(_outputs & ~(1 << pin));
                _chip.WriteUInt16(Register.OLAT, _outputs);
            }
        }

        public bool IsHigh(int pin)
        {
            return (ReadInputs() & (1 << pin)) != 0;
        }

        /// <summary>All 16 pin levels in one I2C transaction.</summary>
        public ushort ReadInputs()
        {
            lock (_sync)
            {
                return _chip.ReadUInt16(Register.GPIO);
            }
        }
    }
}
