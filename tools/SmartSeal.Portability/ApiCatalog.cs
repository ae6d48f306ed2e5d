namespace SmartSeal.Portability;

/// <summary>
/// The nanoFramework API surface from <c>api.tsv</c>: one row per public type and member, from
/// which the reference assemblies of the libraries the NuGet mirror lacks are generated.
/// </summary>
public sealed class ApiCatalog
{
    private readonly List<ApiRow> _rows = new();

    public int Count => _rows.Count;

    /// <summary>Every row of the table.</summary>
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
            if (columns.Length >= 3)
            {
                catalog._rows.Add(new ApiRow(columns[0], columns[1], columns[2], columns.Length > 3 ? columns[3] : string.Empty));
            }
        }

        return catalog;
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
}
