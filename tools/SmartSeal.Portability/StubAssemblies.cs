using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SmartSeal.Portability;

/// <summary>
/// Reference assemblies for the nanoFramework libraries the NuGet mirror does not serve, generated
/// from <c>api.tsv</c>: one in-memory assembly per catalogued assembly (System.Device.Gpio,
/// nanoFramework.M2Mqtt, ...), named like the real one and compiled against the real mscorlib and
/// the stub assemblies its signatures use. A project that uses a type of an assembly its
/// <c>.nfproj</c> does not reference therefore fails to compile, as on the device build.
/// </summary>
public sealed partial class StubAssemblies
{
    private readonly Dictionary<string, CSharpCompilation> _compilations;

    private StubAssemblies(Dictionary<string, CSharpCompilation> compilations)
    {
        _compilations = compilations;
    }

    /// <summary>The stub compilations by assembly name, in dependency order.</summary>
    public IReadOnlyDictionary<string, CSharpCompilation> Compilations => _compilations;

    public IEnumerable<MetadataReference> All => _compilations.Values.Select(c => (MetadataReference)c.ToMetadataReference());

    /// <summary>
    /// The stub for an <c>.nfproj</c> <c>&lt;Reference Include&gt;</c> name: the catalogued assembly of
    /// that name, or "nanoFramework." + name (the package's dll is System.Security.Cryptography,
    /// the table names the assembly nanoFramework.System.Security.Cryptography). Null for mscorlib
    /// (the real one is always referenced) and for names the table does not know.
    /// </summary>
    public MetadataReference? ForReference(string referenceName) =>
        _compilations.TryGetValue(referenceName, out CSharpCompilation? exact) ? exact.ToMetadataReference()
        : _compilations.TryGetValue("nanoFramework." + referenceName, out CSharpCompilation? prefixed) ? prefixed.ToMetadataReference()
        : null;

    public static StubAssemblies Build(IReadOnlyList<ApiRow> rows, MetadataReference coreLibrary)
    {
        Dictionary<string, string> assemblyOfType = rows.Where(r => r.Kind == 'T')
            .GroupBy(r => r.Id[2..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Assembly, StringComparer.Ordinal);
        Dictionary<string, List<ApiRow>> byAssembly = rows.Where(r => r.Assembly != "mscorlib")
            .GroupBy(r => r.Assembly, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Dictionary<string, HashSet<string>> dependencies = byAssembly.ToDictionary(
            a => a.Key,
            a => a.Value.Where(ApiStubs.CanStub)
                .SelectMany(r => TypeNamePattern().Matches(r.Declaration + " " + (r.Kind == 'T' ? r.Signature : string.Empty)).Select(m => m.Value))
                .Select(t => assemblyOfType.GetValueOrDefault(t))
                .Where(d => d != null && d != a.Key && byAssembly.ContainsKey(d))
                .Select(d => d!)
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

        var compiled = new Dictionary<string, CSharpCompilation>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        CSharpCompilation CompileAssembly(string assembly)
        {
            if (compiled.TryGetValue(assembly, out CSharpCompilation? done))
            {
                return done;
            }

            if (!visiting.Add(assembly))
            {
                throw new InvalidOperationException($"api.tsv: assemblies depend on each other in a cycle through {assembly}");
            }

            List<MetadataReference> references = new() { coreLibrary };
            references.AddRange(Closure(assembly, dependencies).Select(d => (MetadataReference)CompileAssembly(d).ToMetadataReference()));
            CSharpCompilation probe = CSharpCompilation.Create("Probe", references: references);
            string text = ApiStubs.Generate(byAssembly[assembly], name => probe.GetTypeByMetadataName(name) != null);
            CSharpCompilation compilation = CSharpCompilation.Create(
                assembly,
                new[] { CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), assembly + ".g.cs") },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            compiled[assembly] = compilation;
            return compilation;
        }

        foreach (string assembly in byAssembly.Keys.OrderBy(a => a, StringComparer.Ordinal))
        {
            CompileAssembly(assembly);
        }

        return new StubAssemblies(compiled);
    }

    /// <summary>Every assembly <paramref name="assembly"/> needs, directly or through another (base types live elsewhere).</summary>
    private static IEnumerable<string> Closure(string assembly, Dictionary<string, HashSet<string>> dependencies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(dependencies[assembly]);
        while (pending.Count > 0)
        {
            string next = pending.Pop();
            if (seen.Add(next))
            {
                foreach (string further in dependencies[next])
                {
                    pending.Push(further);
                }
            }
        }

        seen.Remove(assembly);
        return seen.OrderBy(a => a, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")]
    private static partial Regex TypeNamePattern();
}
