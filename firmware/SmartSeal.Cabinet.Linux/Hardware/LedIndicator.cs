using System.Device.Gpio;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// Green and red status LEDs (each optional, active high): green = ready or a door released,
/// red = refused, alarm or disabled, both = working. Steady lights only; the cabinet has no buzzer here.
/// </summary>
public sealed class LedIndicator : IIndicator
{
    private readonly GpioController? _greenGpio;
    private readonly int _green;
    private readonly GpioController? _redGpio;
    private readonly int _red;

    public LedIndicator(GpioController? greenGpio, int green, GpioController? redGpio, int red)
    {
        _greenGpio = greenGpio;
        _green = green;
        _redGpio = redGpio;
        _red = red;
        _greenGpio?.OpenPin(green, PinMode.Output, PinValue.Low);
        _redGpio?.OpenPin(red, PinMode.Output, PinValue.Low);
    }

    public IndicatorPattern Shown { get; private set; }

    public void Show(IndicatorPattern pattern)
    {
        Shown = pattern;
        bool green = pattern is IndicatorPattern.Ready or IndicatorPattern.Unlocked or IndicatorPattern.Working;
        bool red = pattern is IndicatorPattern.Refused or IndicatorPattern.Alarm or IndicatorPattern.Disabled or IndicatorPattern.Working;
        _greenGpio?.Write(_green, green ? PinValue.High : PinValue.Low);
        _redGpio?.Write(_red, red ? PinValue.High : PinValue.Low);
    }
}
