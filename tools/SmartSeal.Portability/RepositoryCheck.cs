namespace SmartSeal.Portability;

/// <summary>The whole check over the repository: API usage of all device-side sources, and .nfproj compile lists.</summary>
public static class RepositoryCheck
{
    public const string DevicePreprocessorSymbol = "NANOFRAMEWORK_1_0";

    /// <summary>
    /// Checks the dual-compiled projects as the .NET build sees them, and once more with
    /// NANOFRAMEWORK_1_0 defined (the device build's view, driver code included).
    /// </summary>
    public static IReadOnlyList<Violation> CheckSources(RepositoryLayout layout, ApiCatalog catalog)
    {
        List<SourceFile> sources = layout.PortableProjectDirectories
            .SelectMany(NfprojCompileList.SourceFiles)
            .Select(path => SourceFile.FromDisk(path, layout.Root))
            .ToList();
        var checker = new PortabilityChecker(catalog);
        return checker.Check(sources)
            .Concat(checker.Check(sources, new[] { DevicePreprocessorSymbol }))
            .Distinct()
            .OrderBy(v => v.File, StringComparer.Ordinal)
            .ThenBy(v => v.Line)
            .ToList();
    }

    public static IReadOnlyList<string> CheckCompileLists(RepositoryLayout layout)
    {
        var problems = new List<string>();
        foreach (string directory in layout.PortableProjectDirectories)
        {
            string[] nfprojs = Directory.GetFiles(directory, "*.nfproj");
            if (nfprojs.Length == 0)
            {
                problems.Add($"{Path.GetRelativePath(layout.Root, directory)}: no .nfproj for the device build");
                continue;
            }

            foreach (string nfproj in nfprojs)
            {
                problems.AddRange(NfprojCompileList.Compare(
                    NfprojCompileList.CsprojFiles(directory),
                    NfprojCompileList.NfprojFiles(nfproj),
                    Path.GetRelativePath(layout.Root, nfproj)));
            }
        }

        return problems;
    }
}
