global using Xunit.Abstractions;
using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>
/// The repository and the nanoFramework API table from ../shared. When ../shared is missing the
/// tests fail, unless SMARTSEAL_ALLOW_MISSING_SHARED=1, in which case they say they were skipped.
/// </summary>
internal static class SharedData
{
    public static readonly RepositoryLayout Layout = RepositoryLayout.Find(AppContext.BaseDirectory);

    private static readonly Lazy<ApiCatalog?> LazyCatalog = new(() =>
        File.Exists(Layout.ApiTablePath) ? ApiCatalog.Load(Layout.ApiTablePath) : null);

    private static readonly Lazy<PortabilityChecker?> LazyChecker = new(() =>
        LazyCatalog.Value == null ? null : new PortabilityChecker(LazyCatalog.Value));

    /// <summary>One checker for all tests: its reference assemblies are generated once.</summary>
    public static PortabilityChecker Checker(ApiCatalog catalog) => LazyChecker.Value ?? new PortabilityChecker(catalog);

    /// <summary>The catalog, or null when the test should stop (after saying why).</summary>
    public static ApiCatalog? CatalogOrSkip(ITestOutputHelper output)
    {
        if (LazyCatalog.Value != null)
        {
            return LazyCatalog.Value;
        }

        string message = $"SKIPPED: {Layout.ApiTablePath} is missing, so the nanoFramework API check did not run.";
        if (Environment.GetEnvironmentVariable("SMARTSEAL_ALLOW_MISSING_SHARED") == "1")
        {
            output.WriteLine(message);
            return null;
        }

        Assert.Fail(message + " Put ../shared beside the repository or set SMARTSEAL_ALLOW_MISSING_SHARED=1.");
        return null;
    }
}
