namespace SmartSeal.Portability;

/// <summary>Where the repository, its device-side projects and the nanoFramework API table are.</summary>
public sealed class RepositoryLayout
{
    private RepositoryLayout(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>The folders compiled for nanoFramework (each holds a .csproj and/or an .nfproj).</summary>
    public IReadOnlyList<string> PortableProjectDirectories
    {
        get
        {
            var dirs = new List<string>
            {
                Path.Combine(Root, "shared-protocol", "SmartSeal.Protocol"),
                Path.Combine(Root, "firmware", "SmartSeal.Firmware.Core"),
            };
            dirs.AddRange(Esp32ProjectDirectories);
            return dirs.Where(Directory.Exists).ToList();
        }
    }

    /// <summary>The ESP32 application projects (nanoFramework only; drivers under #if NANOFRAMEWORK_1_0).</summary>
    public IReadOnlyList<string> Esp32ProjectDirectories
    {
        get
        {
            string firmware = Path.Combine(Root, "firmware");
            return Directory.Exists(firmware)
                ? Directory.GetDirectories(firmware, "*.Esp32").OrderBy(d => d, StringComparer.Ordinal).ToList()
                : new List<string>();
        }
    }

    public IEnumerable<string> NfprojFiles =>
        PortableProjectDirectories.SelectMany(d => Directory.GetFiles(d, "*.nfproj")).OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>The shared folder: $SMARTSEAL_SHARED, else ../shared beside the repository.</summary>
    public string SharedDirectory =>
        Environment.GetEnvironmentVariable("SMARTSEAL_SHARED") is { Length: > 0 } shared
            ? shared
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The Visual Studio solution of the device build (restored with nuget restore).</summary>
    public string FirmwareSolutionPath => Path.Combine(Root, "firmware", "SmartSeal.Firmware.sln");

    public string ApiTablePath => Path.Combine(SharedDirectory, "nanoframework", "api.tsv");

    /// <summary>Finds the repository by walking up from <paramref name="start"/> to the folder holding SmartSeal.sln.</summary>
    public static RepositoryLayout Find(string start)
    {
        for (string? dir = Path.GetFullPath(start); dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SmartSeal.sln")))
            {
                return new RepositoryLayout(dir);
            }
        }

        throw new DirectoryNotFoundException($"no SmartSeal.sln above {start}");
    }
}
