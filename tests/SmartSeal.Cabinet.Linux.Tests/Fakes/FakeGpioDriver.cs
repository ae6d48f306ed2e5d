using System.Device.Gpio;

namespace SmartSeal.Cabinet.Linux.Tests.Fakes;

/// <summary>
/// The board's GPIO chip in memory, behind the real <see cref="GpioController"/>: records each
/// pin's mode and driven level; inputs read what the test wires to them (pulled-up lines read high
/// until a contact pulls them low).
/// </summary>
public sealed class FakeGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _driven = [];
    private readonly Dictionary<int, PinValue> _external = [];

    protected override int PinCount => 28;

    /// <summary>Every level written to an output, oldest first.</summary>
    public List<(int Pin, PinValue Value)> Writes { get; } = [];

    public PinMode? ModeOf(int pin) => _modes.TryGetValue(pin, out PinMode mode) ? mode : null;

    /// <summary>The level an output pin drives now.</summary>
    public PinValue Output(int pin) =>
        _modes.GetValueOrDefault(pin) == PinMode.Output ? _driven.GetValueOrDefault(pin, PinValue.Low) : throw new InvalidOperationException($"gpio {pin} is not an output");

    /// <summary>What the outside world does to an input line (a contact closing to ground = low).</summary>
    public void SetInput(int pin, PinValue value) => _external[pin] = value;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _modes[pinNumber] switch
    {
        PinMode.Output => _driven.GetValueOrDefault(pinNumber, PinValue.Low),
        PinMode.InputPullUp => _external.GetValueOrDefault(pinNumber, PinValue.High),
        _ => _external.GetValueOrDefault(pinNumber, PinValue.Low),
    };

    protected override void Write(int pinNumber, PinValue value)
    {
        _driven[pinNumber] = value;
        Writes.Add((pinNumber, value));
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the cabinet polls its inputs");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the cabinet polls its inputs");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the cabinet polls its inputs");
}
