using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Expander
{
    /// <summary>
    /// A bolt or compartment latch driven from an MCP23017 output through a MOSFET (high = energised
    /// = open). Fail-secure: a reset or brown-out leaves the pin low and the latch locked.
    /// </summary>
    public class Mcp23017Latch : ILockActuator
    {
        private readonly Mcp23017Expander _expander;
        private readonly int _pin;
        private bool _unlocked;

        public Mcp23017Latch(Mcp23017Expander expander, int pin)
        {
            _expander = expander;
            _pin = pin;
            _expander.MakeOutput(pin);
        }

        public bool IsUnlocked
        {
            get { return _unlocked; }
        }

        public void Unlock()
        {
            _expander.Write(_pin, true);
            _unlocked = true;
        }

        public void Lock()
        {
            _expander.Write(_pin, false);
            _unlocked = false;
        }
    }
}
