using System.Device.Gpio;
using Iot.Device.Mcp23xxx;
using Iot.Device.Mfrc522;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// The cabinet's hardware on a Linux board, built from a validated pin map: each compartment's
/// latch and door on the board's GPIO or the MCP23017 (the binding is a <see cref="GpioDriver"/>,
/// so both are a <see cref="GpioController"/>), an MFRC522 per compartment, the camera, the
/// tamper loop and LEDs. The host loop calls <see cref="Poll"/> to sample the inputs.
/// </summary>
public sealed class LinuxCabinetBoard : IDisposable
{
    private readonly GpioController _gpio;
    private readonly GpioController? _expander;
    private readonly List<GpioSwitch> _inputs = [];
    private readonly List<IDisposable> _owned = [];

    public LinuxCabinetBoard(CabinetConfig config, IBoardBuses buses)
    {
        config.Validate();
        _gpio = buses.OpenGpio();
        _owned.Add(_gpio);
        try
        {
            if (config.Expander is { } expander)
            {
                var mcp = new Mcp23017(buses.OpenI2c(expander.I2cBus, expander.Address));
                _expander = new GpioController(mcp);
                _owned.Add(_expander);
            }

            Compartments = config.Compartments.OrderBy(c => c.Number).Select(c => BuildCompartment(c, buses)).ToArray();
            if (!string.IsNullOrWhiteSpace(config.Tamper))
            {
                Tamper = Input("tamper-case", PinRef.Parse(config.Tamper, "tamper"));
            }

            Indicator = BuildIndicator(config.Leds);
            Camera = config.Camera is { } camera ? new V4l2Camera(PinMapValidator.CameraBus(camera), camera.Width, camera.Height) : new NoCamera();
            if (config.Video is { } video)
            {
                var clips = new FfmpegClipRecorder(video, Path.Combine(config.StateDir, "clips"));
                _owned.Add(clips);
                Clips = clips;
            }
        }
        catch
        {
            // A bus that fails to open (missing spidev, no i2c-dev) must not leave the others claimed.
            DisposeOwned();
            throw;
        }
    }

    public CompartmentHardware[] Compartments { get; }

    public ISwitch? Tamper { get; }

    public LedIndicator Indicator { get; }

    public ICamera Camera { get; }

    /// <summary>The stamping-video recorder, when the pin map has a <c>video</c> source.</summary>
    public FfmpegClipRecorder? Clips { get; }

    /// <summary>Samples every door contact and the tamper loop; debounced changes reach the core's handlers from here.</summary>
    public void Poll(long uptimeMs)
    {
        foreach (GpioSwitch input in _inputs)
        {
            input.Poll(uptimeMs);
        }
    }

    public void Dispose()
    {
        foreach (CompartmentHardware c in Compartments)
        {
            c.Latch.Lock();
        }

        DisposeOwned();
    }

    private void DisposeOwned()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private CompartmentHardware BuildCompartment(CompartmentConfig c, IBoardBuses buses)
    {
        PinRef latch = PinRef.Parse(c.Latch, $"compartment {c.Number} latch");
        PinRef door = PinRef.Parse(c.Door, $"compartment {c.Number} door");
        var reader = new Mfrc522SealTagReader(new MfRc522(buses.OpenSpi(SpiRef.Parse(c.Rfid, $"compartment {c.Number} rfid"))));
        _owned.Add(reader);
        return new CompartmentHardware
        {
            Number = c.Number,
            Latch = new GpioLatch(Controller(latch), latch.Number),
            Door = Input("door-" + c.Number, door),
            TagReader = reader,
        };
    }

    private GpioSwitch Input(string name, PinRef pin)
    {
        var input = new GpioSwitch(name, Controller(pin), pin.Number);
        _inputs.Add(input);
        return input;
    }

    private LedIndicator BuildIndicator(LedConfig? leds)
    {
        PinRef? green = string.IsNullOrWhiteSpace(leds?.Green) ? null : PinRef.Parse(leds.Green, "leds.green");
        PinRef? red = string.IsNullOrWhiteSpace(leds?.Red) ? null : PinRef.Parse(leds.Red, "leds.red");
        return new LedIndicator(
            green is { } g ? Controller(g) : null, green?.Number ?? -1,
            red is { } r ? Controller(r) : null, red?.Number ?? -1);
    }

    private GpioController Controller(PinRef pin) => pin.Source == PinSource.Gpio ? _gpio : _expander!;
}
