using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SmartSeal.Portability;

/// <summary>
/// Compiles device sources with Roslyn as the nanoFramework build does: against the real
/// nanoFramework mscorlib and the reference assemblies generated from api.tsv, with
/// NANOFRAMEWORK_1_0 defined. Every compiler error is a portability error (missing types and
/// members, overloads, iterators, default interface methods...); <see cref="RuntimeConstructWalker"/>
/// adds what compiles but the nanoFramework runtime cannot run.
/// </summary>
public sealed class PortabilityChecker
{
    public const string DevicePreprocessorSymbol = "NANOFRAMEWORK_1_0";

    private static readonly CSharpParseOptions DeviceParseOptions =
        new(LanguageVersion.Latest, preprocessorSymbols: new[] { DevicePreprocessorSymbol });

    private readonly Lazy<StubAssemblies> _stubs;

    public PortabilityChecker(ApiCatalog catalog)
    {
        _stubs = new Lazy<StubAssemblies>(() => StubAssemblies.Build(catalog.Rows, CoreLibrary.Reference));
    }

    /// <summary>The reference assemblies generated from api.tsv (built on first use).</summary>
    public StubAssemblies Stubs => _stubs.Value;

    /// <summary>Checks sources as one assembly that references mscorlib and every catalogued library.</summary>
    public IReadOnlyList<Violation> Check(IEnumerable<SourceFile> sources) =>
        Sorted(Compile("PortabilityCheck", sources, Stubs.All, out _));

    /// <summary>
    /// Checks each project as its .nfproj builds it, in build order: its Compile list, against
    /// mscorlib, the stubs of the assemblies it references and the projects it references.
    /// </summary>
    public IReadOnlyList<Violation> CheckProjects(IReadOnlyList<NfprojProject> projects, string root)
    {
        var violations = new List<Violation>();
        var built = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        foreach (NfprojProject project in projects)
        {
            string nfproj = Path.GetRelativePath(root, project.Path).Replace('\\', '/');
            var references = new List<MetadataReference>();
            foreach (string name in project.References.Where(r => r != "mscorlib"))
            {
                if (Stubs.ForReference(name) is { } stub)
                {
                    references.Add(stub);
                }
                else
                {
                    violations.Add(new Violation(nfproj, 0, name, "referenced assembly not in api.tsv, so its API cannot be checked"));
                }
            }

            references.AddRange(project.ProjectReferences.Where(built.ContainsKey).Select(p => built[p]));
            IEnumerable<SourceFile> sources = project.Sources.Select(s => File.Exists(s)
                ? SourceFile.FromDisk(s, root)
                : new SourceFile(Path.GetRelativePath(root, s).Replace('\\', '/'), string.Empty));
            violations.AddRange(Compile(project.AssemblyName, sources, references, out CSharpCompilation compilation));
            built[project.Path] = compilation.ToMetadataReference();
        }

        return Sorted(violations);
    }

    private static List<Violation> Compile(string assemblyName, IEnumerable<SourceFile> sources, IEnumerable<MetadataReference> references, out CSharpCompilation compilation)
    {
        List<SyntaxTree> trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, DeviceParseOptions, s.DisplayPath)).ToList();
        compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            references.Prepend(CoreLibrary.Reference),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));

        // Emitting, not only binding: lowering reports what the corlib lacks for iterators (IEnumerable<T>),
        // async (the method builders), dynamic (the binder) and other compiler-generated code.
        using var image = new MemoryStream();
        IEnumerable<Diagnostic> diagnostics = compilation.GetDiagnostics().Concat(compilation.Emit(image).Diagnostics);
        var violations = new List<Violation>();
        foreach (Diagnostic error in diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Distinct())
        {
            FileLinePositionSpan span = error.Location.GetLineSpan();
            violations.Add(new Violation(span.Path, span.StartLinePosition.Line + 1, error.Id, "compile error: " + error.GetMessage()));
        }

        foreach (SyntaxTree tree in trees)
        {
            new RuntimeConstructWalker(compilation.GetSemanticModel(tree), violations).Visit(tree.GetRoot());
        }

        return violations;
    }

    private static IReadOnlyList<Violation> Sorted(IEnumerable<Violation> violations) =>
        violations
            .Distinct()
            .OrderBy(v => v.File, StringComparer.Ordinal)
            .ThenBy(v => v.Line)
            .ThenBy(v => v.Symbol, StringComparer.Ordinal)
            .ToList();
}
