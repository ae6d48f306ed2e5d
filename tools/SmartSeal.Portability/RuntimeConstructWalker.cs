using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SmartSeal.Portability;

/// <summary>
/// What compiles against the real nanoFramework mscorlib but the nanoFramework runtime (stable
/// 1.x line) cannot run. The compiler catches everything that needs a missing type or member;
/// these need none, so only the syntax shows them.
/// </summary>
internal sealed class RuntimeConstructWalker : CSharpSyntaxWalker
{
    private readonly SemanticModel _model;
    private readonly List<Violation> _violations;

    public RuntimeConstructWalker(SemanticModel model, List<Violation> violations)
    {
        _model = model;
        _violations = violations;
    }

    public override void Visit(SyntaxNode? node)
    {
        switch (node)
        {
            case TypeParameterListSyntax:
                // A generic class, struct, interface, delegate or method declared in the source
                // needs nothing from mscorlib, but the 1.x metadata processor and CLR have no generics.
                Report(node, "generic declaration", "the nanoFramework 1.x runtime has no generics");
                break;
            case AnonymousObjectCreationExpressionSyntax:
                Report(node, "anonymous type", "the compiler emits a generic class for it; the 1.x runtime has no generics");
                break;
            case ArrayRankSpecifierSyntax rank when rank.Rank > 1:
                Report(node, "multidimensional array", "nanoFramework supports jagged arrays only");
                break;
        }

        base.Visit(node);
    }

    private void Report(SyntaxNode node, string symbol, string reason)
    {
        FileLinePositionSpan span = node.GetLocation().GetLineSpan();
        _violations.Add(new Violation(span.Path, span.StartLinePosition.Line + 1, symbol, reason));
    }
}
