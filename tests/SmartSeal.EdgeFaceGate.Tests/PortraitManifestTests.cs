using System.Security.Cryptography;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// The open-set portraits (eval-faces/portraits, over a thousand files) are recorded in MANIFEST.tsv
/// instead of a SOURCES.md row each: every image has a row with its full SHA-256, repository, commit and
/// source path and the rule that makes it public domain, every row names an image that exists, and no
/// person (the bioguide id after the prefix) is there twice — one photo per person is what makes the
/// portrait FAR a per-person rate.
/// </summary>
public class PortraitManifestTests
{
    private static readonly string Portraits = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", "portraits");

    private sealed record Row(string File, string Sha256, string Repository, string Commit, string SourcePath, string PublicDomainRule);

    private static List<Row> Manifest() =>
        File.ReadLines(Path.Combine(Portraits, "MANIFEST.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Select(f => new Row(f[0], f[1], f[2], f[3], f[4], f.Length > 7 ? f[7] : ""))
            .ToList();

    private static List<string> ImagesOnDisk() =>
        Directory.GetFiles(Portraits).Select(Path.GetFileName).Where(f => f!.EndsWith(".jpg", StringComparison.Ordinal)).Select(f => f!).ToList();

    [Fact]
    public void Every_portrait_has_a_manifest_row_with_its_hash_and_source()
    {
        Dictionary<string, Row> rows = Manifest().ToDictionary(r => r.File, StringComparer.Ordinal);
        List<string> problems = [];
        foreach (string file in ImagesOnDisk())
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Portraits, file))));
            if (!rows.TryGetValue(file, out Row? row))
            {
                problems.Add($"{file}: no row in MANIFEST.tsv");
            }
            else if (row.Sha256 != hash)
            {
                problems.Add($"{file}: MANIFEST.tsv says {row.Sha256}, the file is {hash}");
            }
            else if (row.Repository.Count(c => c == '/') != 1 || row.Commit.Length != 40 || row.SourcePath.Length == 0)
            {
                problems.Add($"{file}: source incomplete ({row.Repository} {row.Commit} {row.SourcePath})");
            }
            else if (row.PublicDomainRule.Length == 0)
            {
                problems.Add($"{file}: no public-domain rule recorded");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        Assert.True(rows.Count >= 2600, $"only {rows.Count} portraits recorded");
    }

    [Fact]
    public void Every_manifest_row_names_an_existing_portrait_of_a_distinct_person()
    {
        HashSet<string> onDisk = ImagesOnDisk().ToHashSet(StringComparer.Ordinal);
        List<Row> rows = Manifest();

        Assert.All(rows, r => Assert.True(onDisk.Contains(r.File), $"MANIFEST.tsv lists {r.File}, which is not in portraits/"));
        List<string> repeated = rows.GroupBy(r => r.File[(r.File.IndexOf('_') + 1)..], StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"people with more than one portrait: {string.Join(", ", repeated)}");
    }
}
