using System.Device.Gpio;
using SmartSeal.Drivers.Esp32.Inputs;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// A door reed contact or the tamper loop on one input line with pull-up (the contact pulls to
/// ground while closed, so high = door open / loop broken). Sampled by the host loop and
/// debounced like the ESP32 board's inputs; polling works the same on the Pi's GPIO and on the
/// expander, which has no interrupt line wired here.
/// </summary>
public sealed class GpioSwitch : ISwitch
{
    public const long StableMs = 30;

    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly Debouncer _debouncer;

    public GpioSwitch(string name, GpioController gpio, int pin)
    {
        Name = name;
        _gpio = gpio;
        _pin = pin;
        _gpio.OpenPin(pin, PinMode.InputPullUp);
        _debouncer = new Debouncer(Sample(), StableMs);
    }

    public string Name { get; }

    public bool IsActive => _debouncer.Level;

    public event SwitchChangedHandler? Changed;

    public void Poll(long uptimeMs)
    {
        if (_debouncer.Sample(Sample(), uptimeMs))
        {
            Changed?.Invoke(this, _debouncer.Level, uptimeMs);
        }
    }

    private bool Sample() => _gpio.Read(_pin) == PinValue.High;
}
