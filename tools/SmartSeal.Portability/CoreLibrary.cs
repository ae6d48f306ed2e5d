using Microsoft.CodeAnalysis;

namespace SmartSeal.Portability;

/// <summary>
/// The real nanoFramework <c>mscorlib.dll</c> (package nanoFramework.CoreLibrary, downloaded by
/// this project's build and copied beside the tool), the corlib every device source is compiled against.
/// </summary>
public static class CoreLibrary
{
    public const string Version = "1.17.11";

    /// <summary>Where the build copies it; $SMARTSEAL_NF_MSCORLIB overrides (another CoreLibrary version).</summary>
    public static string Path =>
        Environment.GetEnvironmentVariable("SMARTSEAL_NF_MSCORLIB") is { Length: > 0 } overridden
            ? overridden
            : System.IO.Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll");

    private static readonly Lazy<MetadataReference> Lazy = new(() =>
        File.Exists(Path)
            ? MetadataReference.CreateFromFile(Path)
            : throw new FileNotFoundException(
                $"nanoFramework mscorlib not found at {Path}: build tools/SmartSeal.Portability (it downloads nanoFramework.CoreLibrary {Version}).", Path));

    public static MetadataReference Reference => Lazy.Value;
}
