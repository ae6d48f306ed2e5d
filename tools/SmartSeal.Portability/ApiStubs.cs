using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SmartSeal.Portability;

/// <summary>
/// C# declarations for the types of one <c>api.tsv</c> assembly (M2Mqtt, System.Device.*,
/// Iot.Device.*, System.IO.Ports, nanoFramework.Hardware.Esp32, ...), whose packages the NuGet
/// mirror does not serve. Bodies are <c>throw null</c>: the stubs exist only so the device sources
/// bind, and a member the table lacks does not exist, so using it is a compile error.
/// Types the references already provide (the real mscorlib's) are not stubbed.
/// </summary>
public static class ApiStubs
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["System.Void"] = "void", ["System.Object"] = "object", ["System.String"] = "string",
        ["System.Boolean"] = "bool", ["System.Char"] = "char", ["System.Byte"] = "byte",
        ["System.SByte"] = "sbyte", ["System.Int16"] = "short", ["System.UInt16"] = "ushort",
        ["System.Int32"] = "int", ["System.UInt32"] = "uint", ["System.Int64"] = "long",
        ["System.UInt64"] = "ulong", ["System.Single"] = "float", ["System.Double"] = "double",
        ["System.Decimal"] = "decimal",
    };

    private static readonly Dictionary<string, string> Operators = new(StringComparer.Ordinal)
    {
        ["op_Equality"] = "==", ["op_Inequality"] = "!=", ["op_Addition"] = "+", ["op_Subtraction"] = "-",
        ["op_Multiply"] = "*", ["op_Division"] = "/", ["op_Modulus"] = "%", ["op_LessThan"] = "<",
        ["op_GreaterThan"] = ">", ["op_LessThanOrEqual"] = "<=", ["op_GreaterThanOrEqual"] = ">=",
        ["op_BitwiseAnd"] = "&", ["op_BitwiseOr"] = "|", ["op_ExclusiveOr"] = "^", ["op_LeftShift"] = "<<",
        ["op_RightShift"] = ">>", ["op_UnaryNegation"] = "-", ["op_UnaryPlus"] = "+", ["op_LogicalNot"] = "!",
        ["op_OnesComplement"] = "~", ["op_Increment"] = "++", ["op_Decrement"] = "--",
    };

    /// <summary>Stubs for every catalogued type of <paramref name="rows"/> that the references cannot resolve (<paramref name="runtimeHasType"/>), as one C# source.</summary>
    public static string Generate(IEnumerable<ApiRow> rows, Func<string, bool> runtimeHasType)
    {
        List<ApiRow> all = rows.Where(CanStub).ToList();
        Dictionary<string, ApiRow> types = all.Where(r => r.Kind == 'T')
            .GroupBy(r => r.Id[2..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        string? ContainerOf(string type)
        {
            int dot = type.LastIndexOf('.');
            return dot > 0 && types.ContainsKey(type[..dot]) ? type[..dot] : null;
        }

        string MetadataName(string type) =>
            ContainerOf(type) is { } outer ? MetadataName(outer) + "+" + type[(outer.Length + 1)..] : type;

        var stubbed = new HashSet<string>(
            types.Keys.Where(t => !runtimeHasType(MetadataName(t)) && (ContainerOf(t) is null || !runtimeHasType(MetadataName(ContainerOf(t)!)))),
            StringComparer.Ordinal);

        ILookup<string, ApiRow> members = all.Where(r => r.Kind != 'T')
            .ToLookup(r => ApiCatalog.SplitMember(r.Id).Type, StringComparer.Ordinal);
        ILookup<string, string> nested = stubbed.Where(t => ContainerOf(t) != null)
            .ToLookup(t => ContainerOf(t)!, StringComparer.Ordinal);

        var source = new StringBuilder("// Generated from api.tsv at check time; not checked itself.\n");
        foreach (IGrouping<string, string> space in stubbed.Where(t => ContainerOf(t) == null)
                     .GroupBy(t => t.LastIndexOf('.') > 0 ? t[..t.LastIndexOf('.')] : string.Empty)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            source.Append(space.Key.Length > 0 ? $"namespace {space.Key}\n{{\n" : "{\n");
            foreach (string type in space.OrderBy(t => t, StringComparer.Ordinal))
            {
                WriteType(source, type, types, members, nested, stubbed, runtimeHasType, MetadataName, "    ");
            }

            source.Append("}\n");
        }

        return source.ToString();
    }

    private static void WriteType(
        StringBuilder source, string type, Dictionary<string, ApiRow> types, ILookup<string, ApiRow> members,
        ILookup<string, string> nested, HashSet<string> stubbed, Func<string, bool> runtimeHasType,
        Func<string, string> metadataName, string indent)
    {
        ApiRow row = types[type];
        string name = type[(type.LastIndexOf('.') + 1)..];
        string[] kindWords = row.Declaration.Split(' ').Skip(2).ToArray();
        string kind = kindWords.LastOrDefault() ?? "class";
        string detail = row.Signature;
        string access = detail.EndsWith("; protected", StringComparison.Ordinal) ? "protected" : "public";
        bool TypeExists(string t) => stubbed.Contains(t) || runtimeHasType(metadataName(t));

        if (kind == "delegate")
        {
            // "delegate System.Void (System.Object, X)"
            int open = detail.IndexOf('(', StringComparison.Ordinal);
            string returnType = TypeName(detail[9..open].Trim());
            string[] parameters = SplitTopLevel(detail[(open + 1)..detail.LastIndexOf(')')]);
            source.Append($"{indent}{access} delegate {returnType} {name}({string.Join(", ", parameters.Select((p, i) => TypeName(p.Trim()) + " p" + i))});\n");
            return;
        }

        if (kind == "enum")
        {
            string underlying = detail.StartsWith("underlying ", StringComparison.Ordinal) ? detail.Split(' ')[1] : "System.Int32";
            string flags = detail.Contains("[Flags]", StringComparison.Ordinal) ? "[global::System.Flags] " : string.Empty;
            source.Append($"{indent}{flags}{access} enum {name} : {TypeName(underlying)}\n{indent}{{\n");
            foreach (ApiRow field in members[type].Where(m => m.Kind == 'F'))
            {
                string member = ApiCatalog.SplitMember(field.Id).Member;
                string value = field.Signature.Contains('=') ? field.Signature[(field.Signature.IndexOf('=') + 1)..].Split('[')[0].Trim() : string.Empty;
                source.Append($"{indent}    {member}{(long.TryParse(value, out _) || ulong.TryParse(value, out _) ? " = " + value : string.Empty)},\n");
            }

            source.Append($"{indent}}}\n");
            return;
        }

        bool isInterface = kind == "interface";
        bool isStruct = kind == "struct";
        bool isStatic = kindWords.Contains("static");
        var bases = new List<string>();
        foreach (string part in detail.Split(';').Select(p => p.Trim()))
        {
            if (part.StartsWith("base ", StringComparison.Ordinal) && !isStruct && !isStatic)
            {
                string baseType = part[5..].Trim();
                if (baseType is not ("System.Object" or "System.ValueType") && TypeExists(baseType))
                {
                    bases.Add(TypeName(baseType));
                }
            }
            else if (part.StartsWith("implements ", StringComparison.Ordinal))
            {
                bases.AddRange(part[11..].Split(',').Select(s => s.Trim()).Where(s => s.Length > 0 && !IsGeneric(s) && TypeExists(s)).Select(TypeName));
            }
        }

        string modifiers = string.Join(" ", kindWords.Take(kindWords.Length - 1));
        source.Append($"{indent}{access} {(modifiers.Length > 0 ? modifiers + " " : string.Empty)}{kind} {name}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty)}\n{indent}{{\n");
        string inner = indent + "    ";
        var context = new MemberContext(name, isInterface, isStruct, isStatic);
        bool hasParameterlessConstructor = false;
        foreach (ApiRow member in members[type])
        {
            string? line = Member(member, context);
            if (line != null)
            {
                source.Append(inner).Append(line).Append('\n');
                hasParameterlessConstructor |= member.Kind == 'C' && member.Id.EndsWith(".#ctor", StringComparison.Ordinal);
            }
        }

        if (!isInterface && !isStruct && !isStatic && !hasParameterlessConstructor)
        {
            // Invisible to the checked sources (another assembly); lets stub subclasses chain to base().
            source.Append($"{inner}internal {name}() {{ }}\n");
        }

        foreach (string child in nested[type].OrderBy(t => t, StringComparer.Ordinal))
        {
            WriteType(source, child, types, members, nested, stubbed, runtimeHasType, metadataName, inner);
        }

        source.Append($"{indent}}}\n");
    }

    private sealed record MemberContext(string TypeName, bool IsInterface, bool IsStruct, bool IsStatic);

    private static string? Member(ApiRow row, MemberContext type)
    {
        // Declaration: "M Ns.Type.Name(System.Int32, out X) : System.Void"; Signature: "[extension] public static int Name(int a, [int b = 1])".
        string declaration = row.Declaration[2..];
        string signature = row.Signature.StartsWith("[extension] ", StringComparison.Ordinal) ? row.Signature[12..] : row.Signature;
        bool extension = row.Signature.StartsWith("[extension] ", StringComparison.Ordinal);
        string[] words = signature.Split(' ');
        bool isStatic = words.Contains("static") || words.Contains("const");
        string access = type.IsInterface ? string.Empty
            : words.FirstOrDefault() == "protected" && !type.IsStruct && !type.IsStatic ? "protected " : "public ";
        string staticWord = isStatic && !type.IsInterface ? "static " : string.Empty;
        string memberName = ApiCatalog.SplitMember(row.Id).Member;
        string returnType = declaration.LastIndexOf(" : ", StringComparison.Ordinal) is var colon and > 0
            ? TypeName(declaration[(colon + 3)..].Trim())
            : "void";

        switch (row.Kind)
        {
            case 'C':
                if (type.IsInterface || type.IsStatic || isStatic || (type.IsStruct && row.Id.EndsWith(".#ctor", StringComparison.Ordinal)))
                {
                    return null;
                }

                return $"{access}{type.TypeName}({Parameters(declaration, signature, false)}) {{ throw null; }}";
            case 'M':
                string parameters = Parameters(declaration, signature, extension && type.IsStatic);
                if (memberName is "op_Implicit" or "op_Explicit")
                {
                    return type.IsInterface ? null : $"public static {(memberName == "op_Implicit" ? "implicit" : "explicit")} operator {returnType}({parameters}) => throw null;";
                }

                if (memberName.StartsWith("op_", StringComparison.Ordinal))
                {
                    return Operators.TryGetValue(memberName, out string? op) && !type.IsInterface
                        ? $"public static {returnType} operator {op}({parameters}) => throw null;"
                        : null;
                }

                if (memberName.Contains('#') || memberName == "Finalize")
                {
                    return null;
                }

                return type.IsInterface
                    ? $"{returnType} {memberName}({parameters});"
                    : $"{access}{staticWord}{returnType} {memberName}({parameters}) => throw null;";
            case 'P':
                bool set = signature.EndsWith("set]", StringComparison.Ordinal);
                bool get = !signature.EndsWith("[set]", StringComparison.Ordinal);
                string accessors = type.IsInterface
                    ? (get ? "get; " : string.Empty) + (set ? "set; " : string.Empty)
                    : (get ? "get => throw null; " : string.Empty) + (set ? "set => throw null; " : string.Empty);
                string head = memberName == "Item" && declaration.Contains('[', StringComparison.Ordinal)
                    ? $"this[{Parameters(declaration, signature, false)}]"
                    : memberName;
                return type.IsInterface ? $"{returnType} {head} {{ {accessors}}}" : $"{access}{staticWord}{returnType} {head} {{ {accessors}}}";
            case 'F':
                if (type.IsInterface)
                {
                    return null;
                }

                return words.Contains("const")
                    ? $"{access}const {returnType} {memberName} = default;"
                    : $"{access}{staticWord}{(words.Contains("readonly") ? "readonly " : string.Empty)}{returnType} {memberName};";
            case 'E':
                return type.IsInterface
                    ? $"event {returnType} {memberName};"
                    : $"{access}{staticWord}event {returnType} {memberName};";
            default:
                return null;
        }
    }

    /// <summary>Parameter list: types from the declaration column (fully qualified), names and optionality from the signature.</summary>
    private static string Parameters(string declaration, string signature, bool extension)
    {
        string[] types = SplitTopLevel(Between(declaration, declaration.Contains("Item[", StringComparison.Ordinal) && !declaration.Contains('(') ? '[' : '(', declaration.Contains("Item[", StringComparison.Ordinal) && !declaration.Contains('(') ? ']' : ')'));
        int thisIndex = signature.IndexOf("this[", StringComparison.Ordinal);
        string[] named = thisIndex >= 0
            ? SplitTopLevel(Between(signature[(thisIndex + 4)..], '[', ']'))
            : SplitTopLevel(Between(signature, '(', ')'));
        bool namesUsable = named.Length == types.Length;
        var result = new List<string>();
        for (int i = 0; i < types.Length; i++)
        {
            string type = types[i].Trim();
            if (type.EndsWith(" = opt", StringComparison.Ordinal))
            {
                type = type[..^6];
            }

            string prefix = string.Empty;
            foreach (string modifier in new[] { "out ", "ref ", "in ", "params " })
            {
                if (type.StartsWith(modifier, StringComparison.Ordinal))
                {
                    prefix = modifier;
                    type = type[modifier.Length..];
                }
            }

            string name = "p" + i;
            string optional = string.Empty;
            if (namesUsable)
            {
                string text = named[i].Trim();
                bool isOptional = text.StartsWith('[') && text.EndsWith(']') && text.Contains('=');
                if (isOptional)
                {
                    text = text[1..^1];
                    optional = " = default";
                }

                string left = text.Split('=')[0].Trim();
                string candidate = left.Split(' ').Last();
                if (candidate.Length > 0 && (char.IsLetter(candidate[0]) || candidate[0] == '_') && candidate.All(c => char.IsLetterOrDigit(c) || c == '_'))
                {
                    name = "@" + candidate;
                }
            }

            result.Add($"{(extension && i == 0 ? "this " : string.Empty)}{prefix}{TypeName(type)} {name}{optional}");
        }

        return string.Join(", ", result);
    }

    private static string Between(string text, char open, char close)
    {
        int start = text.IndexOf(open);
        if (start < 0)
        {
            return string.Empty;
        }

        int depth = 0;
        for (int i = start; i < text.Length; i++)
        {
            depth += text[i] == open ? 1 : text[i] == close ? -1 : 0;
            if (depth == 0)
            {
                return text[(start + 1)..i];
            }
        }

        return text[(start + 1)..];
    }

    private static string[] SplitTopLevel(string list)
    {
        if (list.Trim().Length == 0)
        {
            return Array.Empty<string>();
        }

        var parts = new List<string>();
        int depth = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i < list.Length; i++)
        {
            char c = list[i];
            quoted ^= c == '"';
            if (quoted)
            {
                continue;
            }

            depth += c is '[' or '(' or '<' or '{' ? 1 : c is ']' or ')' or '>' or '}' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                parts.Add(list[start..i]);
                start = i + 1;
            }
        }

        parts.Add(list[start..]);
        return parts.ToArray();
    }

    private static string TypeName(string type)
    {
        string suffix = string.Empty;
        while (type.EndsWith("[]", StringComparison.Ordinal))
        {
            suffix += "[]";
            type = type[..^2];
        }

        return (Keywords.TryGetValue(type, out string? keyword) ? keyword : "global::" + type) + suffix;
    }

    /// <summary>
    /// False for rows the stubs leave out: generic or pointer signatures (not in the stable line)
    /// and members whose type the table itself does not resolve (written "?Angle").
    /// </summary>
    public static bool CanStub(ApiRow row) => !IsGeneric(row.Declaration) && !row.Declaration.Contains('?');

    private static bool IsGeneric(string text) => text.Contains('<') || text.Contains('`') || text.Contains('*');
}

/// <summary>One row of api.tsv: assembly, declaration ("M Ns.Type.Name(args) : Ret"), doc-id, C# signature.</summary>
public sealed record ApiRow(string Assembly, string Declaration, string Id, string Signature)
{
    public char Kind => Declaration.Length > 0 ? Declaration[0] : '?';
}
