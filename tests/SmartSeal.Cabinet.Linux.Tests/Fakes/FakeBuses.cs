using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;

namespace SmartSeal.Cabinet.Linux.Tests.Fakes;

/// <summary>The board's buses in memory: one GPIO chip, MCP23017s by I²C address, an MFRC522 per SPI chip-select.</summary>
public sealed class FakeBuses : IBoardBuses
{
    public FakeGpioDriver Gpio { get; } = new();

    public Dictionary<int, FakeMcp23017> Expanders { get; } = [];

    public Dictionary<SpiRef, FakeMfrc522> Readers { get; } = [];

    /// <summary>Bus opens in order ("gpio", "i2c-1@0x20", "spi:0.0"), to show what a config touched.</summary>
    public List<string> Opened { get; } = [];

    public FakeMfrc522 Reader(int bus, int chipSelect)
    {
        var device = new SpiRef(bus, chipSelect);
        if (!Readers.TryGetValue(device, out FakeMfrc522? reader))
        {
            Readers[device] = reader = new FakeMfrc522(bus, chipSelect);
        }

        return reader;
    }

    public FakeMcp23017 Expander(int address)
    {
        if (!Expanders.TryGetValue(address, out FakeMcp23017? expander))
        {
            Expanders[address] = expander = new FakeMcp23017(address);
        }

        return expander;
    }

    public GpioController OpenGpio()
    {
        Opened.Add("gpio");
        return new GpioController(Gpio);
    }

    public I2cDevice OpenI2c(int bus, int address)
    {
        Opened.Add($"i2c-{bus}@0x{address:X2}");
        return Expander(address);
    }

    public SpiDevice OpenSpi(SpiRef device)
    {
        Opened.Add(device.ToString());
        return Reader(device.Bus, device.ChipSelect);
    }
}
