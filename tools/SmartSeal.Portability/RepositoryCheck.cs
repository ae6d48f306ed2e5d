namespace SmartSeal.Portability;

/// <summary>The whole check over the repository: each device project compiled as its .nfproj builds it, and .nfproj compile lists.</summary>
public static class RepositoryCheck
{
    /// <summary>Compiles every device project (its .nfproj Compile list and references) against the real nanoFramework mscorlib and the api.tsv stubs.</summary>
    public static IReadOnlyList<Violation> CheckSources(RepositoryLayout layout, ApiCatalog catalog) =>
        new PortabilityChecker(catalog).CheckProjects(NfprojProject.InBuildOrder(layout.NfprojFiles), layout.Root);

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
