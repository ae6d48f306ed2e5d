using System.Globalization;
using System.Text.RegularExpressions;

namespace SmartSeal.Portability.Tests;

/// <summary>hardware-docs/pin-maps.md must list exactly the constants of the board classes, with the same values.</summary>
public partial class PinMapTests
{
    private static readonly string PinMapPath = Path.Combine(SharedData.Layout.Root, "hardware-docs", "pin-maps.md");

    [Fact]
    public void Markdown_tables_match_the_board_classes()
    {
        string markdown = File.ReadAllText(PinMapPath);
        string[] boards = { "firmware/SmartSeal.Cabinet.Esp32/CabinetBoard.cs", "firmware/SmartSeal.Lock.Esp32/LockBoard.cs" };
        foreach (string board in boards)
        {
            Dictionary<string, string> code = Constants(File.ReadAllText(Path.Combine(SharedData.Layout.Root, board)));
            Dictionary<string, string> documented = TableOf(markdown, board);
            Assert.True(code.Count > 20, $"{board}: expected the board's pin constants, found {code.Count}");
            Assert.Empty(Differences(code, documented));
        }
    }

    [Fact]
    public void A_changed_pin_is_reported()
    {
        const string code = "public const int I2cSda = 21; public const int ExpanderAddress = 0x20; public const string Port = \"COM2\";";
        const string markdown = """
            ## Board — `B.cs`

            | function | constant | value |
            |---|---|---|
            | sda | `I2cSda` | 22 |
            | expander | `ExpanderAddress` | 32 |
            | uart | `Port` | COM2 |
            """;
        Assert.Equal(new[] { "I2cSda: code 21, pin-maps.md 22" }, Differences(Constants(code), TableOf(markdown, "B.cs")));
    }

    /// <summary>Every <c>public const int|string Name = value;</c>, values normalised (hex to decimal, quotes removed).</summary>
    private static Dictionary<string, string> Constants(string source) =>
        ConstantPattern().Matches(source).ToDictionary(m => m.Groups[1].Value, m => Normalise(m.Groups[2].Value), StringComparer.Ordinal);

    /// <summary>The rows of the table in the section whose heading names <paramref name="board"/>.</summary>
    private static Dictionary<string, string> TableOf(string markdown, string board)
    {
        string[] sections = markdown.Split("\n## ");
        string section = sections.FirstOrDefault(s => s.Split('\n')[0].Contains(board, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"pin-maps.md has no section naming {board}");
        return RowPattern().Matches(section).ToDictionary(m => m.Groups[1].Value, m => Normalise(m.Groups[2].Value), StringComparer.Ordinal);
    }

    private static string[] Differences(Dictionary<string, string> code, Dictionary<string, string> documented) =>
        code.Keys.Union(documented.Keys).OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => (k, c: code.GetValueOrDefault(k), d: documented.GetValueOrDefault(k)))
            .Where(x => x.c != x.d)
            .Select(x => $"{x.k}: code {x.c ?? "(missing)"}, pin-maps.md {x.d ?? "(missing)"}")
            .ToArray();

    private static string Normalise(string value)
    {
        value = value.Trim().Trim('"');
        return value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
            : value;
    }

    [GeneratedRegex(@"public const (?:int|string) (\w+) = ([^;]+);")]
    private static partial Regex ConstantPattern();

    [GeneratedRegex(@"^\|[^|\n]*\|\s*`(\w+)`\s*\|\s*([^|\n]+?)\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}
