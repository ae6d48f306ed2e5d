using System.Text.Json;

namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>
/// The Linux cabinet's pin map and host settings (<c>cabinet.json</c>, see cabinet.example.json):
/// which GPIO or expander pin is each compartment's latch and door contact, which SPI chip-select
/// its MFRC522, the expander's I²C bus and address, the camera device. <see cref="Load"/> refuses a
/// map that cannot work before any pin is touched.
/// </summary>
public sealed class CabinetConfig
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public const string RaspberryPi = "raspberry-pi";
    public const string Generic = "generic";

    /// <summary>
    /// <c>raspberry-pi</c> (default): GPIO numbers are BCM and the SPI/I²C lines of the buses in use
    /// are reserved; <c>generic</c>: any other Linux board, no bus lines known.
    /// </summary>
    public string Board { get; init; } = RaspberryPi;

    /// <summary>The provisioning file the cloud's CLI wrote for this cabinet (id, key, broker).</summary>
    public string DeviceFile { get; init; } = "/etc/smartseal/device.json";

    /// <summary>Folder for the firmware's records (offline queue, compartment states, boot counter).</summary>
    public string StateDir { get; init; } = "/var/lib/smartseal";

    /// <summary>Broker as host:port; empty = the one in the provisioning file.</summary>
    public string? Broker { get; init; }

    public ExpanderConfig? Expander { get; init; }

    public CameraConfig? Camera { get; init; }

    /// <summary>Stamping video: a clip of each hand-over and return recorded with ffmpeg; absent = no video.</summary>
    public VideoConfig? Video { get; init; }

    /// <summary>The case tamper loop (pull-up, loop to ground = intact, high = opened); empty = none fitted.</summary>
    public string? Tamper { get; init; }

    public LedConfig? Leds { get; init; }

    public List<CompartmentConfig> Compartments { get; init; } = [];

    public static CabinetConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CabinetConfigException($"pin map {path} does not exist");
        }

        CabinetConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<CabinetConfig>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new CabinetConfigException($"pin map {path} is not valid JSON: {e.Message}");
        }

        if (config == null)
        {
            throw new CabinetConfigException($"pin map {path} is empty");
        }

        return config.Validate();
    }

    public static CabinetConfig Parse(string json) =>
        (JsonSerializer.Deserialize<CabinetConfig>(json, Json) ?? throw new CabinetConfigException("pin map is empty")).Validate();

    /// <summary>Throws <see cref="CabinetConfigException"/> for the first problem found; returns this when the map can drive a cabinet.</summary>
    public CabinetConfig Validate()
    {
        new PinMapValidator(this).Check();
        return this;
    }
}

/// <summary>The MCP23017 on the I²C bus (address 0x20..0x27, A0-A2 straps).</summary>
public sealed class ExpanderConfig
{
    public int I2cBus { get; init; } = 1;

    public int Address { get; init; } = 0x20;
}

/// <summary>A V4L2 camera that delivers JPEG/MJPEG frames.</summary>
public sealed class CameraConfig
{
    public string Device { get; init; } = "/dev/video0";

    public uint Width { get; init; } = 640;

    public uint Height { get; init; } = 480;
}

/// <summary>
/// Where the stamping-video clips come from: a V4L2 node (<c>/dev/video1</c>), an IP camera
/// (<c>rtsp://…</c>, e.g. the gate camera above the cabinet), or <c>testsrc</c> (ffmpeg's
/// synthetic test pattern, for the simulator and tests). Clips are H.264 MP4, at most 2 MiB.
/// </summary>
public sealed class VideoConfig
{
    public const string TestPattern = "testsrc";

    public string Source { get; init; } = "/dev/video0";

    /// <summary>Length of each clip, from the moment the latch opens (1..30 s).</summary>
    public int Seconds { get; init; } = 8;

    public int Width { get; init; } = 640;

    public int Height { get; init; } = 480;

    /// <summary>The ffmpeg binary (Debian package <c>ffmpeg</c>).</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";
}

/// <summary>Status LEDs (active high); each optional.</summary>
public sealed class LedConfig
{
    public string? Green { get; init; }

    public string? Red { get; init; }
}

public sealed class CompartmentConfig
{
    /// <summary>1-based, as printed on the cabinet.</summary>
    public int Number { get; init; }

    /// <summary>Output driving the latch's MOSFET/relay: high = unlocked.</summary>
    public string? Latch { get; init; }

    /// <summary>Door reed contact with pull-up: high = open.</summary>
    public string? Door { get; init; }

    /// <summary>The compartment's MFRC522 as <c>spi:&lt;bus&gt;.&lt;chip-select&gt;</c> (/dev/spidev&lt;bus&gt;.&lt;cs&gt;).</summary>
    public string? Rfid { get; init; }
}
