using System.Xml.Linq;

namespace SmartSeal.Portal.Tests;

/// <summary>Every portal text exists in both languages (no browser needed).</summary>
public sealed class TextsTests
{
    private static readonly string PortalFolder = Path.Combine(RepoRoot(), "cloud", "SmartSeal.Cloud", "Portal");

    [Fact]
    public void Chinese_and_English_texts_have_the_same_keys_and_none_is_empty()
    {
        Dictionary<string, string> chinese = Read("PortalText.resx");
        Dictionary<string, string> english = Read("PortalText.en.resx");
        Assert.True(chinese.Count > 100, $"only {chinese.Count} Chinese texts");
        Assert.Empty(chinese.Keys.Except(english.Keys));
        Assert.Empty(english.Keys.Except(chinese.Keys));
        Assert.Empty(chinese.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key));
        Assert.Empty(english.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key));

        // Placeholders match, so a translation cannot drop or invent a value.
        foreach ((string key, string zh) in chinese)
        {
            Assert.True(Placeholders(zh).SetEquals(Placeholders(english[key])), $"{key}: placeholders differ between \"{zh}\" and \"{english[key]}\"");
        }
    }

    private static HashSet<string> Placeholders(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value)];

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(PortalFolder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string RepoRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "SmartSeal.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }
}
