using Microsoft.CodeAnalysis;

namespace SmartSeal.Portability;

/// <summary>The running .NET runtime's own assemblies, used to bind the sources as the .csproj build does.</summary>
internal static class ReferenceAssemblies
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> All = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList());

    public static IReadOnlyList<MetadataReference> Runtime => All.Value;
}
