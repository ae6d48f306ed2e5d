namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>
/// The BCM GPIOs the Raspberry Pi's kernel drivers take for the buses the pin map uses (SPI0,
/// SPI1 with the spi1-2cs/3cs overlays, I2C1), so a latch or door configured on one of them is
/// refused instead of fighting the bus.
/// </summary>
internal static class RaspberryPiBusPins
{
    /// <summary>BCM 0-8 come out of reset with their pull-ups on (9-27 pulled down): an output there is high until the host starts.</summary>
    public const int LastPulledUpAtBoot = 8;

    public static IEnumerable<(int Gpio, string Function)> Spi(SpiRef device) => device.Bus switch
    {
        0 => [(11, "SPI0 SCLK"), (10, "SPI0 MOSI"), (9, "SPI0 MISO"), .. ChipSelect(device, 8, 7)],
        1 => [(21, "SPI1 SCLK"), (20, "SPI1 MOSI"), (19, "SPI1 MISO"), .. ChipSelect(device, 18, 17, 16)],
        _ => [],
    };

    public static IEnumerable<(int Gpio, string Function)> I2c(int bus) => bus == 1 ? [(2, "I2C1 SDA"), (3, "I2C1 SCL")] : [];

    private static IEnumerable<(int, string)> ChipSelect(SpiRef device, params int[] lines) =>
        device.ChipSelect < lines.Length ? [(lines[device.ChipSelect], $"SPI{device.Bus} CE{device.ChipSelect}")] : [];
}
