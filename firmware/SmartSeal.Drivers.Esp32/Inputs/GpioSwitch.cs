using System.Device.Gpio;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Inputs
{
    /// <summary>A switch on an ESP32 GPIO (pull-up, contact to ground when <c>activeLow</c>), polled and debounced like the expander inputs.</summary>
    public class GpioSwitch : ISwitch, IPolledInput
    {
        private readonly GpioPin _pin;
        private readonly bool _activeLow;
        private readonly Debouncer _debouncer;

        public GpioSwitch(string name, GpioController gpio, int pinNumber, bool activeLow, bool pullUp)
        {
            Name = name;
            _activeLow = activeLow;
            _pin = gpio.OpenPin(pinNumber, pullUp ? PinMode.InputPullUp : PinMode.Input);
            _debouncer = new Debouncer(Sample(), Mcp23017Switch.DefaultStableMs);
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
            return (_pin.Read() == PinValue.High) != _activeLow;
        }
    }
}
