using System.Xml.Linq;

namespace SmartSeal.Portability;

/// <summary>What a nanoFramework project builds: its Compile list, assembly references and project references.</summary>
public sealed class NfprojProject
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    private NfprojProject(string path, string assemblyName, IReadOnlyList<string> sources, IReadOnlyList<string> references, IReadOnlyList<string> projectReferences)
    {
        Path = path;
        AssemblyName = assemblyName;
        Sources = sources;
        References = references;
        ProjectReferences = projectReferences;
    }

    public string Path { get; }

    public string AssemblyName { get; }

    /// <summary>Absolute paths of the <c>&lt;Compile Include&gt;</c> items.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary><c>&lt;Reference Include&gt;</c> names (mscorlib, System.Device.Gpio, ...).</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>Absolute paths of the referenced .nfproj files.</summary>
    public IReadOnlyList<string> ProjectReferences { get; }

    public static NfprojProject Load(string nfprojPath)
    {
        XDocument document = XDocument.Load(nfprojPath);
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(nfprojPath))!;
        string Resolve(string include) => System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, include.Replace('\\', '/')));
        List<string> Includes(string item) => document.Descendants(MsBuild + item)
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .Where(i => i.Length > 0)
            .ToList();

        string assemblyName = document.Descendants(MsBuild + "AssemblyName").Select(e => e.Value).FirstOrDefault()
            ?? System.IO.Path.GetFileNameWithoutExtension(nfprojPath);
        return new NfprojProject(
            System.IO.Path.GetFullPath(nfprojPath),
            assemblyName,
            Includes("Compile").Select(Resolve).ToList(),
            Includes("Reference"),
            Includes("ProjectReference").Select(Resolve).ToList());
    }

    /// <summary>The projects in build order: every project after the projects it references.</summary>
    public static IReadOnlyList<NfprojProject> InBuildOrder(IEnumerable<string> nfprojPaths)
    {
        Dictionary<string, NfprojProject> byPath = nfprojPaths.Select(Load).ToDictionary(p => p.Path, StringComparer.Ordinal);
        var ordered = new List<NfprojProject>();
        var placed = new HashSet<string>(StringComparer.Ordinal);

        void Place(NfprojProject project, int depth)
        {
            if (depth > byPath.Count)
            {
                throw new InvalidOperationException($"{project.Path}: project references form a cycle");
            }

            if (placed.Contains(project.Path))
            {
                return;
            }

            foreach (string reference in project.ProjectReferences)
            {
                Place(byPath.TryGetValue(reference, out NfprojProject? referenced) ? referenced
                    : throw new InvalidOperationException($"{project.Path}: references {reference}, which is not a checked project"), depth + 1);
            }

            placed.Add(project.Path);
            ordered.Add(project);
        }

        foreach (NfprojProject project in byPath.Values.OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            Place(project, 0);
        }

        return ordered;
    }
}
