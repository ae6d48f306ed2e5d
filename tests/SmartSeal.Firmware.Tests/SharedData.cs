global using Xunit.Abstractions;

namespace SmartSeal.Firmware.Tests;

/// <summary>
/// Locates ../shared beside the repository. Missing shared data fails the test unless
/// SMARTSEAL_ALLOW_MISSING_SHARED=1, in which case the test says it was skipped.
/// </summary>
internal static class SharedData
{
    public static string? Folder(string relative, ITestOutputHelper output)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "SmartSeal.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        string shared = Environment.GetEnvironmentVariable("SMARTSEAL_SHARED") is { Length: > 0 } s ? s : Path.Combine(dir ?? ".", "..", "shared");
        string path = Path.GetFullPath(Path.Combine(shared, relative));
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
}
