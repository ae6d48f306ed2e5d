using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>The real repository: device-side code stays inside the nanoFramework API; .nfproj lists match.</summary>
public class RepositoryTests
{
    private readonly ITestOutputHelper _output;

    public RepositoryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Device_side_sources_use_only_the_nanoframework_api()
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return;
        }

        IReadOnlyList<string> projects = SharedData.Layout.PortableProjectDirectories;
        Assert.Contains(projects, p => p.EndsWith("SmartSeal.Protocol", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("SmartSeal.Firmware.Core", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("SmartSeal.Cabinet.Esp32", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("SmartSeal.Lock.Esp32", StringComparison.Ordinal));

        IReadOnlyList<Violation> violations = RepositoryCheck.CheckSources(SharedData.Layout, catalog);
        Assert.True(violations.Count == 0, "nanoFramework API violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_nfproj_compiles_exactly_the_files_of_its_folder()
    {
        IReadOnlyList<string> problems = RepositoryCheck.CheckCompileLists(SharedData.Layout);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nRun ./scripts/sync-nfproj.sh");
        Assert.NotEmpty(SharedData.Layout.NfprojFiles);
        Assert.Contains(SharedData.Layout.NfprojFiles, f => f.EndsWith("SmartSeal.Lock.Esp32.nfproj", StringComparison.Ordinal));
        Assert.Contains(SharedData.Layout.NfprojFiles, f => f.EndsWith("SmartSeal.Cabinet.Esp32.nfproj", StringComparison.Ordinal));
    }
}
