using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SmartSeal.Portability;

/// <summary>
/// Does a restore of the firmware solution put the packages where the .nfproj HintPaths look?
/// packages.config restore (nuget restore X.sln, or Visual Studio) extracts each package to
/// <c>{repositoryPath}/{id}.{version}/</c>, repositoryPath from the nearest nuget.config above the
/// solution (default: <c>packages</c> beside the solution).
/// </summary>
public static partial class FirmwareRestore
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>Where the restore of <paramref name="solutionPath"/> puts packages.</summary>
    public static string RepositoryPath(string solutionPath)
    {
        string solutionDirectory = Path.GetDirectoryName(Path.GetFullPath(solutionPath))!;
        for (string? dir = solutionDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            string? config = Directory.EnumerateFiles(dir)
                .FirstOrDefault(f => string.Equals(Path.GetFileName(f), "nuget.config", StringComparison.OrdinalIgnoreCase));
            string? value = config == null ? null : XDocument.Load(config).Descendants("config").Elements("add")
                .Where(e => (string?)e.Attribute("key") == "repositoryPath")
                .Select(e => (string?)e.Attribute("value"))
                .FirstOrDefault();
            if (value != null)
            {
                return Path.GetFullPath(Path.Combine(dir, value.Replace('\\', '/')));
            }
        }

        return Path.Combine(solutionDirectory, "packages");
    }

    /// <summary>The .nfproj files the solution lists, as absolute paths.</summary>
    public static IReadOnlyList<string> SolutionProjects(string solutionPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(solutionPath))!;
        return ProjectLine().Matches(File.ReadAllText(solutionPath))
            .Select(m => Path.GetFullPath(Path.Combine(directory, m.Groups[1].Value.Replace('\\', '/'))))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every way a restore of the solution would leave a HintPath pointing at nothing; empty when consistent.</summary>
    public static IReadOnlyList<string> Problems(string solutionPath, string root)
    {
        var problems = new List<string>();
        string repository = RepositoryPath(solutionPath);
        foreach (string nfproj in SolutionProjects(solutionPath))
        {
            string name = Path.GetRelativePath(root, nfproj).Replace('\\', '/');
            string directory = Path.GetDirectoryName(nfproj)!;
            string packagesConfig = Path.Combine(directory, "packages.config");
            if (!File.Exists(nfproj) || !File.Exists(packagesConfig))
            {
                problems.Add($"{name}: {(File.Exists(nfproj) ? "no packages.config beside it" : "listed in the solution but missing")}");
                continue;
            }

            HashSet<string> packageFolders = XDocument.Load(packagesConfig).Descendants("package")
                .Select(p => $"{(string?)p.Attribute("id")}.{(string?)p.Attribute("version")}")
                .ToHashSet(StringComparer.Ordinal);
            foreach (XElement reference in XDocument.Load(nfproj).Descendants(MsBuild + "Reference"))
            {
                string? hint = (string?)reference.Element(MsBuild + "HintPath");
                string include = (string?)reference.Attribute("Include") ?? "?";
                if (hint == null)
                {
                    problems.Add($"{name}: reference {include} has no HintPath");
                    continue;
                }

                string resolved = Path.GetFullPath(Path.Combine(directory, hint.Replace('\\', '/')));
                string relative = Path.GetRelativePath(repository, resolved).Replace('\\', '/');
                string folder = relative.Split('/')[0];
                if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                {
                    problems.Add($"{name}: {include} HintPath {hint} is outside the restore folder {Path.GetRelativePath(root, repository)}");
                }
                else if (!packageFolders.Contains(folder))
                {
                    problems.Add($"{name}: {include} HintPath {hint} names {folder}, which its packages.config does not restore");
                }
            }
        }

        return problems;
    }

    [GeneratedRegex("""Project\("\{[0-9A-F-]+\}"\) = "[^"]*", "([^"]+\.nfproj)", """, RegexOptions.IgnoreCase)]
    private static partial Regex ProjectLine();
}
