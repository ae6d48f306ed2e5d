using System.Device.Gpio;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// A compartment latch on one output line (the Pi's own GPIO or an MCP23017 pin, both behind a
/// <see cref="GpioController"/>): high drives the solenoid's MOSFET and unlocks. The line starts
/// low, so a restarted host never leaves a door released.
/// </summary>
public sealed class GpioLatch : ILockActuator
{
    private readonly GpioController _gpio;
    private readonly int _pin;

    public GpioLatch(GpioController gpio, int pin)
    {
        _gpio = gpio;
        _pin = pin;
        _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
    }

    public bool IsUnlocked { get; private set; }

    public void Unlock()
    {
        _gpio.Write(_pin, PinValue.High);
        IsUnlocked = true;
    }

    public void Lock()
    {
        _gpio.Write(_pin, PinValue.Low);
        IsUnlocked = false;
    }
}
