using SmartSeal.Drivers.Esp32.Expander;
using SmartSeal.Drivers.Esp32.Inputs;

namespace SmartSeal.Firmware.Tests.Drivers;

/// <summary>
/// The MCP23017 expander, its latch outputs and switch inputs, transfer by transfer. Register
/// addresses from the MCP23017 datasheet (Microchip DS20001952) "Register Addresses" table with
/// IOCON.BANK = 0 (the power-on setting): IODIRA 0x00, GPPUA 0x0C, GPIOA 0x12, OLATA 0x14, each
/// port B register at +1. With IOCON.SEQOP = 0 (power-on) the address pointer steps from A to B, so
/// a 16-bit write is [register, A, B] and a read writes [register] and reads [A, B].
/// </summary>
public class Mcp23017Tests
{
    private sealed class Chip : II2cChannel
    {
        public List<string> Transfers { get; } = new();

        public Dictionary<byte, ushort> Registers { get; } = new() { [0x00] = 0xFFFF, [0x0C] = 0x0000, [0x12] = 0x0000, [0x14] = 0x0000 };

        public bool Acknowledge { get; set; } = true;

        public bool Write(byte[] frame)
        {
            Transfers.Add("W " + Convert.ToHexString(frame));
            if (Acknowledge)
            {
                Registers[frame[0]] = (ushort)(frame[1] | (frame[2] << 8));
            }

            return Acknowledge;
        }

        public bool WriteRead(byte[] write, byte[] read)
        {
            Transfers.Add($"WR {Convert.ToHexString(write)} ->{read.Length}");
            if (!Acknowledge)
            {
                return false;
            }

            ushort value = Registers[write[0]];
            read[0] = (byte)value;
            read[1] = (byte)(value >> 8);
            return true;
        }
    }

    [Fact]
    public void Power_up_clears_the_output_latch_before_setting_all_pins_to_inputs()
    {
        var chip = new Chip();
        _ = new Mcp23017Expander(chip);
        Assert.Equal(new[] { "W 140000", "W 00FFFF" }, chip.Transfers); // OLAT = 0, then IODIR = all inputs
    }

    [Fact]
    public void A_latch_on_pin_9_is_driven_low_then_made_an_output_then_pulsed_by_olat_only()
    {
        var chip = new Chip();
        var expander = new Mcp23017Expander(chip);
        chip.Transfers.Clear();

        var latch = new Mcp23017Latch(expander, 9); // port B bit 1
        Assert.Equal(new[] { "W 140000", "W 00FFFD" }, chip.Transfers);

        chip.Transfers.Clear();
        latch.Unlock();
        latch.Lock();
        Assert.Equal(new[] { "W 140002", "W 140000" }, chip.Transfers); // OLATB bit 1 high, then low
        Assert.False(latch.IsUnlocked);
    }

    [Fact]
    public void Outputs_on_both_ports_are_kept_in_one_latch_image()
    {
        var chip = new Chip();
        var expander = new Mcp23017Expander(chip);
        expander.MakeOutput(0);
        expander.MakeOutput(15);
        chip.Transfers.Clear();

        expander.Write(0, true);
        expander.Write(15, true);
        expander.Write(0, false);
        Assert.Equal(new[] { "W 140100", "W 140180", "W 140080" }, chip.Transfers);
    }

    [Fact]
    public void A_switch_input_sets_its_pull_up_by_read_modify_write_and_reads_gpio()
    {
        var chip = new Chip();
        chip.Registers[0x0C] = 0x0100; // pin 8's pull-up already on
        var expander = new Mcp23017Expander(chip);
        chip.Transfers.Clear();

        var door = new Mcp23017Switch("door-1", expander, 2, activeLow: true);
        Assert.Equal(new[] { "W 00FFFF", "WR 0C ->2", "W 0C0401", "WR 12 ->2" }, chip.Transfers);
        Assert.Equal((ushort)0x0104, chip.Registers[0x0C]);
        Assert.True(door.IsActive); // GPIO reads 0: pulled to ground, active low
    }

    [Fact]
    public void Gpio_port_a_is_the_low_byte()
    {
        var chip = new Chip();
        var expander = new Mcp23017Expander(chip);
        chip.Registers[0x12] = 0x8001; // GPA0 and GPB7 high
        Assert.True(expander.IsHigh(0));
        Assert.True(expander.IsHigh(15));
        Assert.False(expander.IsHigh(8));
    }

    [Fact]
    public void A_chip_that_does_not_acknowledge_is_counted_and_the_last_levels_are_kept()
    {
        var chip = new Chip();
        var expander = new Mcp23017Expander(chip);
        chip.Registers[0x12] = 0x0004;
        Assert.Equal((ushort)0x0004, expander.ReadInputs());

        chip.Acknowledge = false;
        chip.Registers[0x12] = 0x0000;
        Assert.Equal((ushort)0x0004, expander.ReadInputs()); // a NACKed read does not flap the switches
        expander.Write(3, true);
        Assert.Equal(2, expander.TransferFailures);

        chip.Acknowledge = true;
        chip.Transfers.Clear();
        expander.Write(4, true);
        Assert.Equal(new[] { "W 141800" }, chip.Transfers); // the whole latch again, pin 3's lost write included
    }
}
