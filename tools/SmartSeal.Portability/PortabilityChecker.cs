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

    public PortabilityChecker(ApiCatalog catalog)
    {
        _catalog = catalog;
    }

    public IReadOnlyList<Violation> Check(IEnumerable<SourceFile> sources, IEnumerable<string>? preprocessorSymbols = null)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: preprocessorSymbols);
        List<SyntaxTree> trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.DisplayPath)).ToList();
        var compilation = CSharpCompilation.Create(
            "PortabilityCheck",
            trees,
            ReferenceAssemblies.Runtime,
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
