using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SmartSeal.Portability;

/// <summary>
/// Walks one syntax tree: flags constructs nanoFramework cannot run (by syntax) and checks every
/// bound external type and member against the <see cref="ApiCatalog"/>.
/// </summary>
internal sealed class ApiUsageWalker : CSharpSyntaxWalker
{
    private readonly SemanticModel _model;
    private readonly ApiCatalog _catalog;
    private readonly IAssemblySymbol _sourceAssembly;
    private readonly List<Violation> _violations;

    public ApiUsageWalker(SemanticModel model, ApiCatalog catalog, IAssemblySymbol sourceAssembly, List<Violation> violations)
    {
        _model = model;
        _catalog = catalog;
        _sourceAssembly = sourceAssembly;
        _violations = violations;
    }

    public override void Visit(SyntaxNode? node)
    {
        if (node == null)
        {
            return;
        }

        CheckConstruct(node);
        CheckBinding(node);
        base.Visit(node);
    }

    private void CheckConstruct(SyntaxNode node)
    {
        switch (node)
        {
            case MethodDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.AsyncKeyword):
            case LocalFunctionStatementSyntax l when l.Modifiers.Any(SyntaxKind.AsyncKeyword):
            case AnonymousFunctionExpressionSyntax a when a.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword):
                Report(node, "async", "async methods need Task, which nanoFramework lacks");
                break;
            case AwaitExpressionSyntax:
                Report(node, "await", "await needs Task, which nanoFramework lacks");
                break;
            case QueryExpressionSyntax:
                Report(node, "LINQ query", "nanoFramework has no LINQ");
                break;
            case TupleExpressionSyntax:
            case TupleTypeSyntax:
                Report(node, "tuple", "tuples need System.ValueTuple, which nanoFramework lacks");
                break;
            case RecordDeclarationSyntax:
                Report(node, "record", "records need IEquatable<T>, which nanoFramework lacks");
                break;
            case AccessorDeclarationSyntax accessor when accessor.IsKind(SyntaxKind.InitAccessorDeclaration):
                Report(node, "init", "init accessors need IsExternalInit, which nanoFramework lacks");
                break;
            case RangeExpressionSyntax:
                Report(node, "range", "ranges need System.Range, which nanoFramework lacks");
                break;
            case PrefixUnaryExpressionSyntax index when index.IsKind(SyntaxKind.IndexExpression):
                Report(node, "index from end", "'^' needs System.Index, which nanoFramework lacks");
                break;
            case NullableTypeSyntax nullable when _model.GetTypeInfo(nullable.ElementType).Type?.IsValueType == true:
                Report(node, "Nullable<T>", "nullable value types are generic; nanoFramework has no generics");
                break;
            case StackAllocArrayCreationExpressionSyntax:
                Report(node, "stackalloc", "stackalloc needs Span<T>");
                break;
            case TypeParameterListSyntax:
                Report(node, "generic declaration", "nanoFramework's stable line has no generics");
                break;
        }
    }

    private void CheckBinding(SyntaxNode node)
    {
        switch (node)
        {
            case SimpleNameSyntax name:
                CheckSymbol(node, _model.GetSymbolInfo(name).Symbol, ReceiverOf(name));
                break;
            case PredefinedTypeSyntax predefined:
                CheckSymbol(node, _model.GetSymbolInfo(predefined).Symbol, null);
                break;
            case BaseObjectCreationExpressionSyntax creation:
                CheckSymbol(node, _model.GetSymbolInfo(creation).Symbol, null);
                break;
            case ConstructorInitializerSyntax initializer:
                CheckSymbol(node, _model.GetSymbolInfo(initializer).Symbol, null);
                break;
            case ElementAccessExpressionSyntax element:
                CheckSymbol(node, _model.GetSymbolInfo(element).Symbol, _model.GetTypeInfo(element.Expression).Type);
                break;
            case BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                CheckSymbol(node, _model.GetSymbolInfo(node).Symbol, null);
                break;
            case AttributeSyntax attribute:
                CheckSymbol(node, _model.GetSymbolInfo(attribute).Symbol, null);
                break;
            case CommonForEachStatementSyntax loop:
                ForEachStatementInfo info = _model.GetForEachStatementInfo(loop);
                CheckSymbol(node, info.GetEnumeratorMethod, null);
                CheckSymbol(node, info.MoveNextMethod, null);
                CheckSymbol(node, info.CurrentProperty, null);
                break;
        }
    }

    private ITypeSymbol? ReceiverOf(SimpleNameSyntax name)
    {
        if (name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
        {
            return _model.GetTypeInfo(access.Expression).Type;
        }

        return null;
    }

    private void CheckSymbol(SyntaxNode node, ISymbol? symbol, ITypeSymbol? receiver)
    {
        switch (symbol)
        {
            case null:
            case INamespaceSymbol:
            case ILocalSymbol:
            case IParameterSymbol:
            case ILabelSymbol:
            case IRangeVariableSymbol:
            case IDiscardSymbol:
                return;
            case ITypeSymbol type:
                CheckType(node, type);
                return;
            case IMethodSymbol method when method.MethodKind is MethodKind.BuiltinOperator or MethodKind.AnonymousFunction or MethodKind.LocalFunction:
                return;
            case IMethodSymbol { IsGenericMethod: true } generic when !IsFromSource(generic):
                Report(node, Id(generic.OriginalDefinition), "generic method; nanoFramework has no generics");
                return;
        }

        if (symbol.ContainingType == null || IsFromSource(symbol.ContainingType))
        {
            return;
        }

        if (symbol is IMethodSymbol { ReducedFrom: not null } extension)
        {
            symbol = extension.ReducedFrom;
        }

        INamedTypeSymbol containing = symbol.ContainingType!;
        if (containing.IsGenericType)
        {
            CheckType(node, containing);
            return;
        }

        string id = Id(symbol.OriginalDefinition);
        if (_catalog.Contains(id) || FoundOnRelatedType(id, containing, receiver))
        {
            return;
        }

        if (!_catalog.ContainsType(FullName(containing)) && !IsCatalogued(receiver))
        {
            Report(node, "T:" + FullName(containing), "type not in nanoFramework");
            return;
        }

        if (symbol is IMethodSymbol call && HasCompatibleOverload(call, containing, receiver))
        {
            return;
        }

        Report(node, id, "member or overload not in nanoFramework");
    }

    private bool HasCompatibleOverload(IMethodSymbol method, INamedTypeSymbol containing, ITypeSymbol? receiver)
    {
        int arguments = method.Parameters.Length;
        IEnumerable<string> types = new[] { receiver, containing }
            .Where(t => t != null)
            .SelectMany(t => _catalog.SelfAndSupertypes(FullName(t!)));
        return types.Any(t => _catalog.HasCompatibleOverload(t, method.Name, arguments));
    }

    /// <summary>
    /// .NET may declare a member on a base type (HashAlgorithm.ComputeHash) that nanoFramework
    /// declares on the derived type (HMACSHA256.ComputeHash): retry the id on the receiver's type
    /// and every type between it and the declaring type, and on their catalogued supertypes.
    /// </summary>
    private bool FoundOnRelatedType(string id, INamedTypeSymbol containing, ITypeSymbol? receiver)
    {
        (string declaringType, _) = ApiCatalog.SplitMember(id);
        var candidates = new List<string>();
        for (ITypeSymbol? t = receiver; t != null; t = t.BaseType)
        {
            candidates.Add(FullName(t));
        }

        for (ITypeSymbol? t = containing; t != null; t = t.BaseType)
        {
            candidates.Add(FullName(t));
        }

        foreach (string candidate in candidates.ToList())
        {
            foreach (string supertype in _catalog.SelfAndSupertypes(candidate))
            {
                string substituted = id[..2] + supertype + id[(2 + declaringType.Length)..];
                if (_catalog.Contains(substituted))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsCatalogued(ITypeSymbol? type) => type != null && _catalog.ContainsType(FullName(type));

    private void CheckType(SyntaxNode node, ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                CheckType(node, array.ElementType);
                return;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                Report(node, type.ToDisplayString(), "pointers are not supported");
                return;
            case ITypeParameterSymbol:
                Report(node, type.Name, "generic type parameter; nanoFramework has no generics");
                return;
            case IDynamicTypeSymbol:
                Report(node, "dynamic", "dynamic is not supported");
                return;
            case IErrorTypeSymbol:
                return; // already a compile error
        }

        if (type.SpecialType == SpecialType.System_Void || IsFromSource(type))
        {
            return;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named)
        {
            Report(node, Id(named.OriginalDefinition), "generic type; nanoFramework has no generics");
            return;
        }

        string id = Id(type);
        if (!_catalog.Contains(id))
        {
            Report(node, id, "type not in nanoFramework");
        }
    }

    private bool IsFromSource(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _sourceAssembly);

    private static string Id(ISymbol symbol) => symbol.GetDocumentationCommentId() ?? symbol.ToDisplayString();

    private static string FullName(ITypeSymbol type)
    {
        string? id = type.OriginalDefinition.GetDocumentationCommentId();
        return id != null && id.StartsWith("T:", StringComparison.Ordinal) ? id[2..] : type.ToDisplayString();
    }

    private void Report(SyntaxNode node, string symbol, string reason)
    {
        FileLinePositionSpan span = node.GetLocation().GetLineSpan();
        _violations.Add(new Violation(span.Path, span.StartLinePosition.Line + 1, symbol, reason));
    }
}
