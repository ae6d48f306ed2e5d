using System.Device.Gpio;
using SmartSeal.Cabinet.Linux.Tests.Fakes;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>The cabinet core drives and reads the .NET IoT hardware layer: latches, door contacts, MFRC522 readers, MCP23017.</summary>
public class LinuxCabinetBoardTests
{
    private static readonly byte[] CompanySeal = [0x04, 0xA1, 0xB2, 0xC3];

    /// <summary>Two compartments on the Pi's own GPIO, readers on SPI0 CE0/CE1.</summary>
    private const string GpioMap = """
        {
          "compartments": [
            { "number": 1, "latch": "gpio:17", "door": "gpio:27", "rfid": "spi:0.0" },
            { "number": 2, "latch": "gpio:22", "door": "gpio:23", "rfid": "spi:0.1" }
          ]
        }
        """;

    /// <summary>The same two compartments with latches and doors on an MCP23017 at 0x21.</summary>
    private const string ExpanderMap = """
        {
          "expander": { "i2cBus": 1, "address": 33 },
          "compartments": [
            { "number": 1, "latch": "mcp23017:GPA3", "door": "mcp23017:GPB3", "rfid": "spi:0.0" },
            { "number": 2, "latch": "mcp23017:GPA4", "door": "mcp23017:GPB4", "rfid": "spi:0.1" }
          ]
        }
        """;

    private static void DoorsShutAndSealInPlace(FakeBuses buses)
    {
        buses.Gpio.SetInput(27, PinValue.Low); // reed closed: pulls the line to ground
        buses.Gpio.SetInput(23, PinValue.Low);
        buses.Expander(0x21).PullLow(11, true);
        buses.Expander(0x21).PullLow(12, true);
        buses.Reader(0, 0).Card = CompanySeal;
    }

    [Fact]
    public void The_configured_latch_pin_goes_high_when_the_core_opens_the_compartment_and_low_when_the_door_shuts_again()
    {
        using var bench = new LinuxBench(GpioMap, DoorsShutAndSealInPlace);
        Assert.Equal(PinMode.Output, bench.Buses.Gpio.ModeOf(17));
        Assert.Equal(PinValue.Low, bench.Buses.Gpio.Output(17));

        bench.Controller.Register(1, "seal-company", "04A1B2C3");
        string id = bench.Dispense(1, "seal-company", "04A1B2C3");
        Assert.True(bench.Result(id).Ok, bench.Result(id).Reason.ToString());
        Assert.Equal(PinValue.High, bench.Buses.Gpio.Output(17));
        Assert.Equal(PinValue.Low, bench.Buses.Gpio.Output(22));

        bench.Buses.Gpio.SetInput(27, PinValue.High); // door swings open
        bench.Run();
        bench.Buses.Reader(0, 0).Card = null;          // seal taken out
        bench.Run();
        Assert.Equal(CompartmentMode.Out, bench.State(1).Mode);
        bench.Buses.Gpio.SetInput(27, PinValue.Low);  // door shut
        bench.Run();

        Assert.Equal(PinValue.Low, bench.Buses.Gpio.Output(17));
        // Held low from start (the core re-locks at boot), one release, locked again.
        Assert.Equal([PinValue.High, PinValue.Low], bench.Buses.Gpio.Writes.Where(w => w.Pin == 17).Select(w => w.Value).SkipWhile(v => v == PinValue.Low));
        Assert.DoesNotContain(bench.Buses.Gpio.Writes, w => w.Pin == 22 && w.Value == PinValue.High);
    }

    [Fact]
    public void A_door_edge_reaches_the_core_as_door_open_and_closed_after_debouncing_and_a_glitch_does_not()
    {
        using var bench = new LinuxBench(GpioMap, DoorsShutAndSealInPlace);
        Assert.Equal(PinMode.InputPullUp, bench.Buses.Gpio.ModeOf(23));

        bench.Buses.Gpio.SetInput(23, PinValue.High); // 10 ms spike on the cable
        bench.Board.Poll(bench.Clock.UptimeMs);
        bench.Clock.Advance(10);
        bench.Buses.Gpio.SetInput(23, PinValue.Low);
        bench.Run();
        Assert.False(bench.State(2).DoorOpen);
        Assert.Empty(bench.Cloud.Bodies<DoorBody>());

        bench.Buses.Gpio.SetInput(23, PinValue.High); // forced open while latched
        bench.Run();
        Assert.True(bench.State(2).DoorOpen);
        DoorBody opened = bench.Cloud.Bodies<DoorBody>().Single();
        Assert.Equal(2, opened.Compartment);
        Assert.True(opened.Open);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.ForcedDoor && a.Compartment == 2);

        bench.Buses.Gpio.SetInput(23, PinValue.Low);
        bench.Run();
        Assert.False(bench.State(2).DoorOpen);
        Assert.False(bench.Cloud.Bodies<DoorBody>().Last().Open);
    }

    [Fact]
    public void An_MFRC522_read_runs_REQA_anticollision_and_select_and_the_core_sees_the_tag_id()
    {
        using var bench = new LinuxBench(GpioMap, DoorsShutAndSealInPlace);
        FakeMfrc522 reader = bench.Buses.Reader(0, 0);
        reader.Frames.Clear();

        Assert.Equal("04A1B2C3", bench.Board.Compartments[0].TagReader.Read());
        Assert.Equal("04A1B2C3", bench.Board.Compartments[0].TagReader.Read()); // the seal stays: still read after the field cycle
        Assert.Equal(TagReading.None, bench.Board.Compartments[1].TagReader.Read());

        string select = "9370" + "04A1B2C3" + "D4" + Convert.ToHexString(FakeMfrc522.CrcA([0x93, 0x70, 0x04, 0xA1, 0xB2, 0xC3, 0xD4]));
        Assert.Equal(["26/7", "9320", select, "26/7", "9320", select], reader.Frames);
        Assert.Empty(reader.RejectedFrames);

        // The core registers what its reader sees and refuses a dispense that expects another tag.
        bench.Controller.Register(1, "seal-company", "04A1B2C3");
        bench.Run();
        Assert.Equal("04A1B2C3", bench.State(1).SeenTag);
        Assert.Equal(TagReading.None, bench.State(2).SeenTag);
    }

    [Fact]
    public void The_MCP23017_variant_drives_the_configured_expander_pin_and_reads_its_door_pin()
    {
        using var bench = new LinuxBench(ExpanderMap, DoorsShutAndSealInPlace);
        FakeMcp23017 expander = bench.Buses.Expanders[0x21];
        Assert.True(expander.IsOutput(3));
        Assert.False(expander.DrivesHigh(3));
        Assert.False(expander.IsOutput(11));
        Assert.True(expander.IsPulledUp(11));

        bench.Controller.Register(1, "seal-company", "04A1B2C3");
        string id = bench.Dispense(1, "seal-company", "04A1B2C3");
        Assert.True(bench.Result(id).Ok, bench.Result(id).Reason.ToString());
        Assert.True(expander.DrivesHigh(3));
        Assert.False(expander.DrivesHigh(4));
        // The binding set GPA3 in the port-A output latch (OLATA or GPIOA, both land in OLAT) and nothing else on that port.
        Assert.Contains(expander.Writes, w => w.Register is FakeMcp23017.Olat or FakeMcp23017.Gpio && w.Value == 0b0000_1000);

        expander.PullLow(11, false); // door 1 opens: the pull-up wins
        bench.Run();
        Assert.True(bench.State(1).DoorOpen);
        bench.Buses.Reader(0, 0).Card = null;
        bench.Run();
        expander.PullLow(11, true);
        bench.Run();

        Assert.False(bench.State(1).DoorOpen);
        Assert.False(expander.DrivesHigh(3));
        Assert.Empty(bench.Buses.Gpio.Writes); // nothing went to the Pi's own pins
    }

    [Theory]
    [InlineData(GpioMap, "gpio,spi:0.0,spi:0.1", true)]
    [InlineData(ExpanderMap, "gpio,i2c-1@0x21,spi:0.0,spi:0.1", false)]
    public void The_pin_map_selects_the_variant(string map, string opened, bool latchOnGpio)
    {
        using var bench = new LinuxBench(map, DoorsShutAndSealInPlace);
        Assert.Equal(opened, string.Join(",", bench.Buses.Opened));

        bench.Controller.Register(1, "seal-company", "04A1B2C3");
        Assert.True(bench.Result(bench.Dispense(1, "seal-company", "04A1B2C3")).Ok);
        Assert.Equal(latchOnGpio, bench.Buses.Gpio.Writes.Contains((17, PinValue.High)));
        Assert.Equal(!latchOnGpio, bench.Buses.Expanders.TryGetValue(0x21, out FakeMcp23017? expander) && expander.DrivesHigh(3));
    }
}
