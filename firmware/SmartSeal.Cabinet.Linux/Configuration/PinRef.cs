using System.Globalization;

namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>Where a digital line lives: a GPIO of the board's own chip, or a pin of the MCP23017 expander.</summary>
public enum PinSource
{
    Gpio,
    Expander,
}

/// <summary>
/// One line of the pin map, written <c>gpio:17</c> (BCM numbering on a Raspberry Pi) or
/// <c>mcp23017:GPA3</c> / <c>mcp23017:11</c> (expander pin 0..15, GPA0..7 then GPB0..7).
/// </summary>
public readonly record struct PinRef(PinSource Source, int Number)
{
    public const int ExpanderPins = 16;

    public static PinRef Parse(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CabinetConfigException($"{what}: no pin given (write gpio:<n> or mcp23017:<GPA0..GPB7>)");
        }

        int colon = text.IndexOf(':');
        string kind = colon < 0 ? string.Empty : text[..colon].Trim().ToLowerInvariant();
        string pin = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        if (kind == "gpio" && int.TryParse(pin, NumberStyles.None, CultureInfo.InvariantCulture, out int gpio))
        {
            return new PinRef(PinSource.Gpio, gpio);
        }

        if (kind == "mcp23017" && TryParseExpanderPin(pin, out int expander))
        {
            return new PinRef(PinSource.Expander, expander);
        }

        throw new CabinetConfigException($"{what}: '{text}' is not a pin (write gpio:<n> or mcp23017:<GPA0..GPB7 or 0..15>)");
    }

    public override string ToString() => Source == PinSource.Gpio
        ? "gpio:" + Number.ToString(CultureInfo.InvariantCulture)
        : "mcp23017:" + (Number < 8 ? "GPA" : "GPB") + (Number % 8).ToString(CultureInfo.InvariantCulture);

    private static bool TryParseExpanderPin(string pin, out int number)
    {
        if (pin.Length == 4 && (pin.StartsWith("GPA", StringComparison.OrdinalIgnoreCase) || pin.StartsWith("GPB", StringComparison.OrdinalIgnoreCase))
            && pin[3] >= '0' && pin[3] <= '7')
        {
            number = (char.ToUpperInvariant(pin[2]) == 'A' ? 0 : 8) + (pin[3] - '0');
            return true;
        }

        return int.TryParse(pin, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number < ExpanderPins;
    }
}
