using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// Every evaluation image has a recorded source and licence (issue 20): each file under
/// eval-faces/people and eval-faces/strangers has a row in SOURCES.md whose SHA-256 prefix is the
/// file's, and every row names a file that exists — so an image added without provenance, or changed
/// after it was recorded, fails here.
/// </summary>
public partial class EvalFacesSourcesTests
{
    private static readonly string EvalFaces = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces");

    [GeneratedRegex(@"^\| ((?:people|strangers)/[^ |]+) \| ([0-9a-f]{16}) \|", RegexOptions.Multiline)]
    private static partial Regex FileRow();

    private static Dictionary<string, string> Recorded() =>
        FileRow().Matches(File.ReadAllText(Path.Combine(EvalFaces, "SOURCES.md")))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    private static IEnumerable<string> ImagesOnDisk() =>
        new[] { "people", "strangers" }
            .Select(folder => Path.Combine(EvalFaces, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(EvalFaces, f).Replace('\\', '/'));

    [Fact]
    public void Every_image_has_a_source_row_with_its_hash()
    {
        Dictionary<string, string> recorded = Recorded();
        List<string> problems = [];
        foreach (string file in ImagesOnDisk())
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(EvalFaces, file))))[..16];
            if (!recorded.TryGetValue(file, out string? expected))
            {
                problems.Add($"{file}: no row in SOURCES.md");
            }
            else if (expected != hash)
            {
                problems.Add($"{file}: SOURCES.md says {expected}, the file is {hash}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_source_row_names_an_existing_image()
    {
        HashSet<string> onDisk = ImagesOnDisk().ToHashSet(StringComparer.Ordinal);

        Assert.All(Recorded().Keys, file => Assert.True(onDisk.Contains(file), $"SOURCES.md lists {file}, which is not in eval-faces"));
        Assert.True(onDisk.Count > 100, $"only {onDisk.Count} evaluation images found");
    }
}
