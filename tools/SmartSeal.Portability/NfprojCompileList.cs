using System.Xml.Linq;

namespace SmartSeal.Portability;

/// <summary>
/// Keeps a nanoFramework project's explicit <c>&lt;Compile Include&gt;</c> list equal to the files
/// the sibling SDK-style .csproj compiles: every **/*.cs under the folder except bin/ and obj/.
/// A device-only project (ESP32: an .nfproj without a .csproj) follows the same rule.
/// </summary>
public static class NfprojCompileList
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>Files the .csproj compiles (= what the .nfproj must list), relative to its folder, '/'-separated, sorted.</summary>
    public static IReadOnlyList<string> CsprojFiles(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(projectDirectory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>Absolute paths of the sources a project folder compiles (every **/*.cs but bin/ and obj/).</summary>
    public static IEnumerable<string> SourceFiles(string projectDirectory) =>
        CsprojFiles(projectDirectory).Select(f => Path.Combine(projectDirectory, f));

    /// <summary>The nfproj's Compile items, '/'-separated, sorted.</summary>
    public static IReadOnlyList<string> NfprojFiles(string nfprojPath) =>
        XDocument.Load(nfprojPath)
            .Descendants(MsBuild + "Compile")
            .Select(e => ((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>Differences as readable lines; empty when in sync.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<string> csprojFiles, IReadOnlyList<string> nfprojFiles, string nfprojName)
    {
        var problems = new List<string>();
        problems.AddRange(csprojFiles.Except(nfprojFiles, StringComparer.Ordinal).Select(f => $"{nfprojName}: missing <Compile Include=\"{f.Replace('/', '\\')}\" />"));
        problems.AddRange(nfprojFiles.Except(csprojFiles, StringComparer.Ordinal).Select(f => $"{nfprojName}: compiles {f}, which is not in the folder (or is under bin/ or obj/)"));
        return problems;
    }

    /// <summary>Rewrites the nfproj's Compile items to the .csproj's files. Returns true when it changed.</summary>
    public static bool Sync(string nfprojPath)
    {
        XDocument document = XDocument.Load(nfprojPath, LoadOptions.PreserveWhitespace);
        XElement root = document.Root!;
        List<XElement> existing = root.Descendants(MsBuild + "Compile").ToList();
        XElement group = existing.FirstOrDefault()?.Parent
            ?? root.Elements(MsBuild + "ItemGroup").FirstOrDefault(g => !g.HasElements)
            ?? new XElement(MsBuild + "ItemGroup");
        if (group.Parent == null)
        {
            root.Add(group);
        }

        IReadOnlyList<string> wanted = CsprojFiles(Path.GetDirectoryName(nfprojPath)!);
        if (NfprojFiles(nfprojPath).SequenceEqual(wanted))
        {
            return false;
        }

        existing.ForEach(e => e.Remove());
        group.RemoveNodes();
        foreach (string file in wanted)
        {
            group.Add(new XText("\n    "), new XElement(MsBuild + "Compile", new XAttribute("Include", file.Replace('/', '\\'))));
        }

        group.Add(new XText("\n  "));
        document.Save(nfprojPath);
        return true;
    }
}
