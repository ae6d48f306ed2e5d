using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Cabinet.Linux.Tests.Fakes;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>A pin map that cannot drive the cabinet stops the host at startup with a message naming the entry, before any line is touched.</summary>
public class PinMapTests
{
    private static string Map(string compartments, string extra = "") => $$"""
        { {{extra}} "compartments": [ {{compartments}} ] }
        """;

    private const string One = """{ "number": 1, "latch": "gpio:17", "door": "gpio:27", "rfid": "spi:0.0" }""";

    [Theory]
    [InlineData(One + """, { "number": 2, "latch": "gpio:22", "door": "gpio:27", "rfid": "spi:0.1" }""", "", "compartment 2 door: gpio:27 is already used by compartment 1 door")]
    [InlineData(One + """, { "number": 2, "latch": "gpio:17", "door": "gpio:23", "rfid": "spi:0.1" }""", "", "compartment 2 latch: gpio:17 is already used by compartment 1 latch")]
    [InlineData(One, """ "tamper": "gpio:27", """, "tamper: gpio:27 is already used by compartment 1 door")]
    [InlineData(One + """, { "number": 3, "latch": "gpio:22", "door": "gpio:23", "rfid": "spi:0.1" }""", "", "compartment 2 is missing (compartments must be numbered 1..2 without gaps)")]
    [InlineData(One + ", " + One, "", "compartment 1 is configured twice")]
    [InlineData("", "", "compartments: none configured")]
    [InlineData("""{ "number": 1, "door": "gpio:27", "rfid": "spi:0.0" }""", "", "compartment 1 latch: no pin given")]
    [InlineData("""{ "number": 1, "latch": "gpio17", "door": "gpio:27", "rfid": "spi:0.0" }""", "", "compartment 1 latch: 'gpio17' is not a pin")]
    [InlineData("""{ "number": 1, "latch": "mcp23017:GPA0", "door": "gpio:27", "rfid": "spi:0.0" }""", "", "compartment 1 latch: mcp23017:GPA0 needs an expander section")]
    [InlineData("""{ "number": 1, "latch": "mcp23017:GPC0", "door": "gpio:27", "rfid": "spi:0.0" }""", """ "expander": { "address": 32 }, """, "'mcp23017:GPC0' is not a pin")]
    [InlineData("""{ "number": 1, "latch": "mcp23017:GPA0", "door": "mcp23017:0", "rfid": "spi:0.0" }""", """ "expander": { "address": 32 }, """, "compartment 1 door: mcp23017:GPA0 is already used by compartment 1 latch")]
    [InlineData(One + """, { "number": 2, "latch": "gpio:22", "door": "gpio:23", "rfid": "spi:0.0" }""", "", "compartment 2 rfid: spi:0.0 is already the reader of compartment 1")]
    [InlineData(One, """ "expander": { "address": 64 }, """, "expander.address: 0x40 is not an MCP23017 address")]
    [InlineData(One, """ "camera": { "device": "/dev/cam" }, """, "camera.device: '/dev/cam' is not a V4L2 node")]
    [InlineData("""{ "number": 1, "latch": "gpio:27", "door": "gpio:8", "rfid": "spi:0.0" }""", "", "compartment 1 door: gpio:8 is already used by SPI0 CE0")]
    [InlineData("""{ "number": 1, "latch": "gpio:4", "door": "gpio:27", "rfid": "spi:0.0" }""", "", "compartment 1 latch: gpio:4 is pulled up while the Pi boots")]
    [InlineData("""{ "number": 1, "latch": "gpio:17", "door": "gpio:27", "rfid": "spi:1.1" }""", "", "compartment 1 latch: gpio:17 is already used by SPI1 CE1")]
    [InlineData(One, """ "expander": { "address": 32 }, "tamper": "gpio:3", """, "tamper: gpio:3 is already used by I2C1 SCL")]
    [InlineData(One, """ "board": "orange-pi", """, "board: 'orange-pi' is unknown")]
    [InlineData(One, """ "video": { "source": "http://cam/stream" }, """, "video.source: 'http://cam/stream' is not a V4L2 node")]
    [InlineData(One, """ "video": { "source": "testsrc", "seconds": 60 }, """, "video.seconds: 60 is outside 1..30")]
    [InlineData(One, """ "video": { "source": "rtsp://gate-cam/stream", "width": 641 }, """, "video: 641x480 is not an even size")]
    public void A_bad_pin_map_fails_at_startup_with_a_clear_message_and_opens_nothing(string compartments, string extra, string message)
    {
        var buses = new FakeBuses();
        var e = Assert.Throws<CabinetConfigException>(() => new LinuxCabinetBoard(CabinetConfig.Parse(Map(compartments, extra)), buses));
        Assert.Contains(message, e.Message);
        Assert.Empty(buses.Opened);
    }

    [Fact]
    public void A_generic_board_knows_no_bus_lines()
    {
        CabinetConfig config = CabinetConfig.Parse(Map("""{ "number": 1, "latch": "gpio:8", "door": "gpio:27", "rfid": "spi:0.0" }""", """ "board": "generic", """));
        Assert.Equal("gpio:8", config.Compartments[0].Latch);
    }

    [Fact]
    public void The_example_pin_map_in_the_project_is_valid()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "cabinet.example.json");
        CabinetConfig config = CabinetConfig.Load(path);
        Assert.Equal([1, 2, 3, 4], config.Compartments.Select(c => c.Number));
        Assert.NotNull(config.Expander);
    }

    [Fact]
    public void A_missing_or_broken_file_is_named_in_the_message()
    {
        string dir = Directory.CreateTempSubdirectory("linuxcab-").FullName;
        try
        {
            Assert.Contains("does not exist", Assert.Throws<CabinetConfigException>(() => CabinetConfig.Load(Path.Combine(dir, "none.json"))).Message);
            string broken = Path.Combine(dir, "cabinet.json");
            File.WriteAllText(broken, "{ \"compartments\": [ ");
            Assert.Contains("is not valid JSON", Assert.Throws<CabinetConfigException>(() => CabinetConfig.Load(broken)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
