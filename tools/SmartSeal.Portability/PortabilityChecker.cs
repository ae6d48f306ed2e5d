using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SmartSeal.Portability;

/// <summary>
/// Compiles sources with Roslyn against the .NET runtime and reports every use of a type or member
/// that the nanoFramework API table does not list, and every construct that needs runtime
/// support nanoFramework lacks (generics, async, LINQ, tuples, records, init, ranges, Span...).
/// </summary>
public sealed class PortabilityChecker
{
    private readonly ApiCatalog _catalog;
    private readonly Lazy<IReadOnlyList<MetadataReference>> _references;

    public PortabilityChecker(ApiCatalog catalog)
    {
        _catalog = catalog;
        _references = new Lazy<IReadOnlyList<MetadataReference>>(() =>
        {
            // The nanoFramework-only libraries (M2Mqtt, System.Device.*, Iot.Device.*...) as an
            // in-memory assembly of stubs: another assembly, so its types are checked like the runtime's.
            MetadataReference stubs = ApiStubs.Compile(_catalog.Rows, ReferenceAssemblies.Runtime, out Compilation compiled);
            StubCompilation = compiled;
            return ReferenceAssemblies.Runtime.Append(stubs).ToList();
        });
    }

    /// <summary>The compiled stubs (after the first check), for tests of the generator.</summary>
    public Compilation? StubCompilation { get; private set; }

    /// <summary>Builds the stubs now (otherwise the first <see cref="Check"/> does).</summary>
    public Compilation Stubs()
    {
        _ = _references.Value;
        return StubCompilation!;
    }

    public IReadOnlyList<Violation> Check(IEnumerable<SourceFile> sources, IEnumerable<string>? preprocessorSymbols = null)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: preprocessorSymbols);
        List<SyntaxTree> trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.DisplayPath)).ToList();
        var compilation = CSharpCompilation.Create(
            "PortabilityCheck",
            trees,
            _references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));

        var violations = new List<Violation>();
        foreach (Diagnostic error in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            FileLinePositionSpan span = error.Location.GetLineSpan();
            violations.Add(new Violation(span.Path, span.StartLinePosition.Line + 1, error.Id, "compile error: " + error.GetMessage()));
        }

        foreach (SyntaxTree tree in trees)
        {
            var walker = new ApiUsageWalker(compilation.GetSemanticModel(tree), _catalog, compilation.Assembly, violations);
            walker.Visit(tree.GetRoot());
        }

        return violations
            .Distinct()
            .OrderBy(v => v.File, StringComparer.Ordinal)
            .ThenBy(v => v.Line)
            .ThenBy(v => v.Symbol, StringComparer.Ordinal)
            .ToList();
    }
}
