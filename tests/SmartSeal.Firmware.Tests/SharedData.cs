global using Xunit.Abstractions;

namespace SmartSeal.Firmware.Tests;

/// <summary>
/// Locates ../shared beside the repository. Missing shared data fails the test unless
/// SMARTSEAL_ALLOW_MISSING_SHARED=1, in which case the test says it was skipped.
/// </summary>
internal static class SharedData
{
    /// <summary>The repository root (the folder holding SmartSeal.sln).</summary>
    public static readonly string RepositoryRoot = FindRoot();

    /// <summary>The shared data path, whether or not it exists.</summary>
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(
            Environment.GetEnvironmentVariable("SMARTSEAL_SHARED") is { Length: > 0 } s ? s : Path.Combine(RepositoryRoot, "..", "shared"),
            relative));

    public static string? Folder(string relative, ITestOutputHelper output)
    {
        string path = PathOf(relative);
        if (Directory.Exists(path))
        {
            return path;
        }

        string message = $"SKIPPED: {path} is missing.";
        if (Environment.GetEnvironmentVariable("SMARTSEAL_ALLOW_MISSING_SHARED") == "1")
        {
            output.WriteLine(message);
            return null;
        }

        Assert.Fail(message + " Put ../shared beside the repository or set SMARTSEAL_ALLOW_MISSING_SHARED=1.");
        return null;
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SmartSeal.sln")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }
}
