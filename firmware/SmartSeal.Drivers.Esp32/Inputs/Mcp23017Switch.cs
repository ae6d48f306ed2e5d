using SmartSeal.Drivers.Esp32.Expander;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Inputs
{
    /// <summary>
    /// A door contact, stamp switch, tamper loop or button on an MCP23017 input (pull-up on, the
    /// contact pulls to ground), polled and debounced. <c>activeLow</c>: whether a low level means active.
    /// </summary>
    public class Mcp23017Switch : ISwitch, IPolledInput
    {
        public const long DefaultStableMs = 30;

        private readonly Mcp23017Expander _expander;
        private readonly int _pin;
        private readonly bool _activeLow;
        private readonly Debouncer _debouncer;

        public Mcp23017Switch(string name, Mcp23017Expander expander, int pin, bool activeLow)
        {
            Name = name;
            _expander = expander;
            _pin = pin;
            _activeLow = activeLow;
            _expander.MakeInput(pin);
            _debouncer = new Debouncer(Sample(), DefaultStableMs);
        }

        public string Name { get; private set; }

        public bool IsActive
        {
            get { return _debouncer.Level; }
        }

        public event SwitchChangedHandler Changed;

        public void Poll(long uptimeMs)
        {
            if (_debouncer.Sample(Sample(), uptimeMs))
            {
                SwitchChangedHandler handler = Changed;
                if (handler != null)
                {
                    handler(this, _debouncer.Level, uptimeMs);
                }
            }
        }

        private bool Sample()
        {
            return _expander.IsHigh(_pin) != _activeLow;
        }
    }
}
