namespace SmartSeal.Architecture.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding SmartSeal.sln.</summary>
    public static string RootDirectory { get; } = Find();

    public static string CloudSources => Path.Combine(RootDirectory, "cloud", "SmartSeal.Cloud");

    public static string TestSources => Path.Combine(RootDirectory, "tests", "SmartSeal.Architecture.Tests");

    private static string Find()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "SmartSeal.sln")))
            {
                return directory;
            }
        }

        throw new DirectoryNotFoundException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }
}
