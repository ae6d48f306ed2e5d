namespace SmartSeal.Portability;

/// <summary>
/// The nanoFramework API surface from <c>api.tsv</c>: documentation-comment ids of every public
/// type and member, base types and interfaces, and member names per type for the fallback lookup.
/// </summary>
public sealed class ApiCatalog
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _supertypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _memberNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Count, bool LastIsArray)>> _overloads = new(StringComparer.Ordinal);

    private readonly List<ApiRow> _rows = new();

    public int Count => _ids.Count;

    /// <summary>Every row of the table, for generating stubs of the nanoFramework-only types.</summary>
    public IReadOnlyList<ApiRow> Rows => _rows;

    public static ApiCatalog Load(string path)
    {
        var catalog = new ApiCatalog();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] columns = line.Split('\t');
            if (columns.Length < 3)
            {
                continue;
            }

            string id = columns[2];
            catalog._ids.Add(id);
            catalog._rows.Add(new ApiRow(columns[0], columns[1], id, columns.Length > 3 ? columns[3] : string.Empty));
            if (id.StartsWith("T:", StringComparison.Ordinal))
            {
                catalog._supertypes[id[2..]] = ParseSupertypes(columns.Length > 3 ? columns[3] : string.Empty);
            }
            else if (id.Length > 2)
            {
                (string type, string member) = SplitMember(id);
                if (!catalog._memberNames.TryGetValue(type, out HashSet<string>? names))
                {
                    names = new HashSet<string>(StringComparer.Ordinal);
                    catalog._memberNames[type] = names;
                }

                names.Add(member);
                if (id.StartsWith("M:", StringComparison.Ordinal))
                {
                    string key = type + "." + member;
                    if (!catalog._overloads.TryGetValue(key, out var shapes))
                    {
                        shapes = new List<(int, bool)>();
                        catalog._overloads[key] = shapes;
                    }

                    shapes.Add(ParameterShape(id));
                }
            }
        }

        return catalog;
    }

    public bool Contains(string documentationId) => _ids.Contains(documentationId);

    public bool ContainsType(string fullName) => _supertypes.ContainsKey(fullName);

    /// <summary>The type and its catalogued base types and interfaces, transitively, nearest first.</summary>
    public IEnumerable<string> SelfAndSupertypes(string fullName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>();
        pending.Enqueue(fullName);
        while (pending.Count > 0)
        {
            string type = pending.Dequeue();
            if (!seen.Add(type))
            {
                continue;
            }

            yield return type;
            if (_supertypes.TryGetValue(type, out List<string>? supertypes))
            {
                foreach (string supertype in supertypes)
                {
                    pending.Enqueue(supertype);
                }
            }
        }
    }

    public bool HasMemberNamed(string typeFullName, string memberName) =>
        _memberNames.TryGetValue(typeFullName, out HashSet<string>? names) && names.Contains(memberName);

    /// <summary>
    /// True when the type has a method of that name that a call with <paramref name="argumentCount"/>
    /// arguments would bind to on the device: same parameter count, or a trailing params array.
    /// (.NET has extra overloads, e.g. String.Format(string, object, object) or interpolated-string
    /// handlers, that the device compiler resolves to the overloads nanoFramework has.)
    /// </summary>
    public bool HasCompatibleOverload(string typeFullName, string methodName, int argumentCount) =>
        _overloads.TryGetValue(typeFullName + "." + methodName, out var shapes)
        && shapes.Any(s => s.Count == argumentCount || (s.LastIsArray && argumentCount >= s.Count - 1));

    private static (int Count, bool LastIsArray) ParameterShape(string documentationId)
    {
        int open = documentationId.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return (0, false);
        }

        string parameters = documentationId[(open + 1)..documentationId.LastIndexOf(')')];
        int depth = 0, count = 1;
        foreach (char c in parameters)
        {
            depth += c is '{' or '[' ? 1 : c is '}' or ']' ? -1 : 0;
            count += c == ',' && depth == 0 ? 1 : 0;
        }

        return (count, parameters.EndsWith("[]", StringComparison.Ordinal));
    }

    /// <summary>Splits "M:Ns.Type.Member(args)" into ("Ns.Type", "Member").</summary>
    public static (string Type, string Member) SplitMember(string documentationId)
    {
        string body = documentationId[2..];
        int paren = body.IndexOf('(', StringComparison.Ordinal);
        string path = paren < 0 ? body : body[..paren];
        int dot = path.LastIndexOf('.');
        return dot < 0 ? (string.Empty, path) : (path[..dot], path[(dot + 1)..]);
    }

    private static List<string> ParseSupertypes(string detail)
    {
        // "base System.Object; implements System.Collections.IList, System.ICloneable"
        var result = new List<string>();
        foreach (string part in detail.Split(';'))
        {
            string text = part.Trim();
            if (text.StartsWith("base ", StringComparison.Ordinal))
            {
                result.Add(text[5..].Trim());
            }
            else if (text.StartsWith("implements ", StringComparison.Ordinal))
            {
                result.AddRange(text[11..].Split(',').Select(s => s.Trim()).Where(s => s.Length > 0));
            }
        }

        return result;
    }
}
