using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Tests.Docs;

/// <summary>
/// Keeps hardware-docs honest: links resolve inside the repository, the index lists every page,
/// and the facts the pages state (topic leaves, message directions, key derivation and broker
/// password examples) match the protocol code.
/// </summary>
public class HardwareDocsTests
{
    private static readonly string DocsFolder = Path.Combine(SharedData.RepositoryRoot, "hardware-docs");

    /// <summary>
    /// Pages other helpers own that may not be merged into this branch yet. A link to one of them
    /// is allowed to dangle; once the file exists it is checked like any other.
    /// </summary>
    private static readonly string[] PagesThatMayNotExistYet = { "hardware-docs/pin-maps.md" };

    private static readonly Regex MarkdownLink = new(@"(?<!\!)\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)", RegexOptions.Compiled);

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (string page in DocPages())
        {
            data.Add(Relative(page));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_points_to_a_file_in_the_repository(string page)
    {
        string path = Path.Combine(SharedData.RepositoryRoot, page);
        HashSet<string>? known = RepositoryFiles();
        var broken = new List<string>();
        foreach (string target in RelativeLinks(File.ReadAllText(path)))
        {
            string resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            string relative = Relative(resolved);
            if (relative.StartsWith("..", StringComparison.Ordinal))
            {
                broken.Add(target + " (leaves the repository; a fresh checkout would not have it)");
            }
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                if (!PagesThatMayNotExistYet.Contains(relative))
                {
                    broken.Add(target + " (missing)");
                }
            }
            else if (known != null && File.Exists(resolved) && !known.Contains(relative))
            {
                broken.Add(target + " (exists here but is ignored by git, so a checkout would not have it)");
            }
        }

        Assert.True(broken.Count == 0, page + " has broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_link_checker_finds_links_and_skips_external_ones()
    {
        string[] links = RelativeLinks("see [a](a.md#top), [b](../b/README.md \"title\"), [web](https://example.com), [anchor](#x), ![img](p.png)").ToArray();
        Assert.Equal(new[] { "a.md", "../b/README.md" }, links);
    }

    [Fact]
    public void The_index_links_every_page()
    {
        string index = File.ReadAllText(Path.Combine(DocsFolder, "README.md"));
        var linked = RelativeLinks(index).Select(t => Relative(Path.GetFullPath(Path.Combine(DocsFolder, t)))).ToHashSet();
        var pages = DocPages().Select(Relative).Where(p => p != "hardware-docs/README.md").Concat(PagesThatMayNotExistYet).Distinct();
        string[] missing = pages.Where(p => !linked.Contains(p)).ToArray();
        Assert.True(missing.Length == 0, "hardware-docs/README.md does not link: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_topic_table_matches_DeviceTopics_and_MessageTypes()
    {
        List<TopicRow> rows = TopicRows();
        TopicKind[] kinds = Enum.GetValues<TopicKind>().Where(k => k != TopicKind.Unknown).ToArray();
        Assert.Equal(kinds.OrderBy(k => k), rows.Select(r => r.Kind).OrderBy(k => k));
        foreach (TopicRow row in rows)
        {
            Assert.Equal(DeviceTopics.Leaf(row.Kind), row.Leaf);
            Assert.Equal(row.Kind, DeviceTopics.Parse("smartseal/v1/lock-0001/" + row.Leaf, out _));
            Assert.Equal(DeviceTopics.IsPublishedByDevice(row.Kind), row.Direction == "device → cloud");
            Assert.Equal(DeviceTopics.IsPublishedByCloud(row.Kind), row.Direction == "cloud → device");
            foreach (string type in row.MessageTypes)
            {
                Assert.True(MessageTypes.TopicOf(type) == row.Kind, $"{type} is listed under {row.Leaf} but travels on {MessageTypes.TopicOf(type)}");
            }
        }

        string[] allTypes = typeof(MessageTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        string[] documented = rows.SelectMany(r => r.MessageTypes).ToArray();
        Assert.Equal(allTypes.OrderBy(t => t, StringComparer.Ordinal), documented.OrderBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public void The_provisioning_example_carries_the_derived_key_and_documents_every_field()
    {
        string doc = File.ReadAllText(Path.Combine(DocsFolder, "provisioning.md"));
        using JsonDocument example = JsonDocument.Parse(CodeBlockAfter(doc, "<!-- example device.json -->"));
        JsonElement root = example.RootElement;

        // The example uses the test master key of tests/SmartSeal.Protocol.Tests/Vectors/credentials.json.
        byte[] master = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        string deviceId = root.GetProperty("deviceId").GetString()!;
        int keyVersion = root.GetProperty("keyVersion").GetInt32();
        byte[] expected = DeviceKeys.Derive(master, deviceId, keyVersion);
        Assert.Equal(Convert.ToHexString(expected).ToLowerInvariant(), root.GetProperty("keyHex").GetString());
        Assert.Contains(Convert.ToHexString(expected).ToLowerInvariant(), doc.Replace("\n", string.Empty, StringComparison.Ordinal));

        // Every field of the example appears in the field table, and every table field in the example or marked as optional.
        var tableFields = Regex.Matches(doc, @"^\| `(?<field>[a-zA-Z.]+)` \|", RegexOptions.Multiline).Select(m => m.Groups["field"].Value).ToHashSet();
        var exampleFields = FieldPaths(root, string.Empty).ToHashSet();
        string[] undocumented = exampleFields.Where(f => !tableFields.Contains(f)).ToArray();
        Assert.True(undocumented.Length == 0, "fields in the example but not in the table: " + string.Join(", ", undocumented));
        Assert.Contains("cellular.apn", tableFields);
        Assert.Contains("wifi.ssid", tableFields);
    }

    [Fact]
    public void The_documented_broker_password_example_is_what_the_device_mints()
    {
        string doc = File.ReadAllText(Path.Combine(DocsFolder, "provisioning.md"));
        Match example = Regex.Match(doc, @"BrokerPassword\.Create\(""(?<id>[^""]+)"", key, (?<expiry>\d+)\) == ""(?<password>v1\.[^""]+)""");
        Assert.True(example.Success, "provisioning.md should show a broker password example");
        byte[] master = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        string id = example.Groups["id"].Value;
        string password = BrokerPassword.Create(id, DeviceKeys.Derive(master, id, 1), long.Parse(example.Groups["expiry"].Value));
        Assert.Equal(password, example.Groups["password"].Value);
    }

    private sealed record TopicRow(string Leaf, TopicKind Kind, string Direction, string[] MessageTypes);

    private static List<TopicRow> TopicRows()
    {
        string doc = File.ReadAllText(Path.Combine(DocsFolder, "topics-and-tokens.md"));
        string section = doc[doc.IndexOf("## Topic tree", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var rows = new List<TopicRow>();
        foreach (string line in section.Split('\n'))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            string[] cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 5, "topic table rows have 5 cells: " + line);
            string leaf = cells[0].Trim('`');
            TopicKind kind = Enum.Parse<TopicKind>(cells[1].Trim('`'));
            string[] types = Regex.Matches(cells[4], "`(?<t>[a-z0-9-]+)`").Select(m => m.Groups["t"].Value).ToArray();
            rows.Add(new TopicRow(leaf, kind, cells[2], types));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static IEnumerable<string> DocPages() =>
        Directory.GetFiles(DocsFolder, "*.md").Concat(Directory.GetFiles(Path.Combine(DocsFolder, "adr"), "*.md")).OrderBy(p => p, StringComparer.Ordinal);

    private static IEnumerable<string> RelativeLinks(string markdown)
    {
        foreach (Match match in MarkdownLink.Matches(markdown))
        {
            string target = match.Groups["target"].Value;
            if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            int hash = target.IndexOf('#');
            yield return hash >= 0 ? target[..hash] : target;
        }
    }

    private static string CodeBlockAfter(string doc, string marker)
    {
        int at = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, "marker " + marker + " not found");
        int start = doc.IndexOf("```json\n", at, StringComparison.Ordinal) + "```json\n".Length;
        int end = doc.IndexOf("\n```", start, StringComparison.Ordinal);
        return doc[start..end];
    }

    private static IEnumerable<string> FieldPaths(JsonElement element, string prefix)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (string inner in FieldPaths(property.Value, path + "."))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static string Relative(string fullPath) =>
        Path.GetRelativePath(SharedData.RepositoryRoot, fullPath).Replace('\\', '/');

    /// <summary>Files git tracks or would add (not ignored), or null when git is not available.</summary>
    private static HashSet<string>? RepositoryFiles()
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files --cached --others --exclude-standard")
            {
                WorkingDirectory = SharedData.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process git = Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine: existence on disk is all we can check
        }
    }
}
