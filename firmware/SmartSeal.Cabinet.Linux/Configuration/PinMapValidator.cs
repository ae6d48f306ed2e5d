namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>
/// The checks a pin map must pass before the host opens any line: compartments numbered 1..n
/// without gaps, every line used once, expander pins only with an expander, one reader per
/// chip-select, a camera path that names a V4L2 node.
/// </summary>
internal sealed class PinMapValidator(CabinetConfig config)
{
    private readonly Dictionary<PinRef, string> _pins = [];
    private readonly Dictionary<SpiRef, string> _readers = [];

    public void Check()
    {
        CheckNumbering();
        ClaimBusPins();
        foreach (CompartmentConfig c in config.Compartments.OrderBy(c => c.Number))
        {
            PinRef latch = PinRef.Parse(c.Latch, $"compartment {c.Number} latch");
            if (config.Board == CabinetConfig.RaspberryPi && latch.Source == PinSource.Gpio && latch.Number <= RaspberryPiBusPins.LastPulledUpAtBoot)
            {
                throw new CabinetConfigException($"compartment {c.Number} latch: {latch} is pulled up while the Pi boots (BCM 0-8), so the latch would open at every reboot; use gpio 9-27 or the expander");
            }

            Claim(latch, $"compartment {c.Number} latch");
            Claim(PinRef.Parse(c.Door, $"compartment {c.Number} door"), $"compartment {c.Number} door");
            SpiRef reader = SpiRef.Parse(c.Rfid, $"compartment {c.Number} rfid");
            if (!_readers.TryAdd(reader, $"compartment {c.Number}"))
            {
                throw new CabinetConfigException($"compartment {c.Number} rfid: {reader} is already the reader of {_readers[reader]}");
            }
        }

        ClaimOptional(config.Tamper, "tamper");
        ClaimOptional(config.Leds?.Green, "leds.green");
        ClaimOptional(config.Leds?.Red, "leds.red");
        if (config.Expander is { } expander && (expander.Address < 0x20 || expander.Address > 0x27))
        {
            throw new CabinetConfigException($"expander.address: 0x{expander.Address:X2} is not an MCP23017 address (0x20..0x27, decimal 32..39)");
        }

        if (config.Camera is { } camera)
        {
            _ = CameraBus(camera);
        }

        if (config.Video is { } video)
        {
            CheckVideo(video);
        }
    }

    /// <summary>A clip source ffmpeg can open and a clip that fits one photo upload.</summary>
    private static void CheckVideo(VideoConfig video)
    {
        bool v4l2 = video.Source.StartsWith("/dev/video", StringComparison.Ordinal) && int.TryParse(video.Source.AsSpan("/dev/video".Length), out int n) && n >= 0;
        if (!v4l2 && !video.Source.StartsWith("rtsp://", StringComparison.Ordinal) && !video.Source.StartsWith("rtsps://", StringComparison.Ordinal) && video.Source != VideoConfig.TestPattern)
        {
            throw new CabinetConfigException($"video.source: '{video.Source}' is not a V4L2 node (/dev/video<n>), an rtsp:// address or '{VideoConfig.TestPattern}'");
        }

        if (video.Seconds < 1 || video.Seconds > 30)
        {
            throw new CabinetConfigException($"video.seconds: {video.Seconds} is outside 1..30 (a clip must fit one 2 MiB upload)");
        }

        if (video.Width < 16 || video.Height < 16 || video.Width > 1920 || video.Height > 1080 || video.Width % 2 != 0 || video.Height % 2 != 0)
        {
            throw new CabinetConfigException($"video: {video.Width}x{video.Height} is not an even size between 16x16 and 1920x1080");
        }
    }

    /// <summary>The N of /dev/videoN, which is how the V4L2 binding names a device.</summary>
    public static int CameraBus(CameraConfig camera)
    {
        const string prefix = "/dev/video";
        if (camera.Device.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(camera.Device.AsSpan(prefix.Length), out int bus) && bus >= 0)
        {
            return bus;
        }

        throw new CabinetConfigException($"camera.device: '{camera.Device}' is not a V4L2 node (/dev/video<n>)");
    }

    private void CheckNumbering()
    {
        if (config.Compartments.Count == 0)
        {
            throw new CabinetConfigException("compartments: none configured (a cabinet needs at least compartment 1)");
        }

        var numbers = new HashSet<int>();
        foreach (CompartmentConfig c in config.Compartments)
        {
            if (c.Number < 1)
            {
                throw new CabinetConfigException($"compartments: number {c.Number} is invalid (compartments are numbered from 1)");
            }

            if (!numbers.Add(c.Number))
            {
                throw new CabinetConfigException($"compartments: compartment {c.Number} is configured twice");
            }
        }

        for (int n = 1; n <= config.Compartments.Count; n++)
        {
            if (!numbers.Contains(n))
            {
                throw new CabinetConfigException($"compartments: compartment {n} is missing (compartments must be numbered 1..{config.Compartments.Count} without gaps)");
            }
        }
    }

    /// <summary>On a Raspberry Pi the buses' own lines are taken first, so a latch or door on one of them is named as the clash.</summary>
    private void ClaimBusPins()
    {
        if (config.Board != CabinetConfig.RaspberryPi)
        {
            if (config.Board != CabinetConfig.Generic)
            {
                throw new CabinetConfigException($"board: '{config.Board}' is unknown (raspberry-pi or generic)");
            }

            return;
        }

        IEnumerable<(int Gpio, string Function)> busPins = config.Compartments
            .Select(c => SpiRef.Parse(c.Rfid, $"compartment {c.Number} rfid"))
            .SelectMany(RaspberryPiBusPins.Spi)
            .Concat(config.Expander is { } expander ? RaspberryPiBusPins.I2c(expander.I2cBus) : []);
        foreach ((int gpio, string function) in busPins)
        {
            _pins.TryAdd(new PinRef(PinSource.Gpio, gpio), function);
        }
    }

    private void ClaimOptional(string? text, string what)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            Claim(PinRef.Parse(text, what), what);
        }
    }

    private void Claim(PinRef pin, string what)
    {
        if (pin.Source == PinSource.Expander && config.Expander == null)
        {
            throw new CabinetConfigException($"{what}: {pin} needs an expander section (I²C bus and address of the MCP23017)");
        }

        if (!_pins.TryAdd(pin, what))
        {
            throw new CabinetConfigException($"{what}: {pin} is already used by {_pins[pin]}");
        }
    }
}
