using System.Globalization;

namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>An SPI device as Linux names it: <c>spi:0.1</c> = /dev/spidev0.1 (bus 0, chip-select 1).</summary>
public readonly record struct SpiRef(int Bus, int ChipSelect)
{
    public static SpiRef Parse(string? text, string what)
    {
        string body = text != null && text.StartsWith("spi:", StringComparison.OrdinalIgnoreCase) ? text[4..] : string.Empty;
        string[] parts = body.Split('.');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int bus)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int cs))
        {
            return new SpiRef(bus, cs);
        }

        throw new CabinetConfigException($"{what}: '{text}' is not an SPI device (write spi:<bus>.<chip-select>, e.g. spi:0.0)");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"spi:{Bus}.{ChipSelect}");
}
