namespace SmartSeal.Architecture.Tests;

/// <summary>
/// The architecture rules as functions from what the code is to the list of violations, one line
/// each, so the same rule runs over the cloud (against its allowlist) and over planted code.
/// </summary>
public static class Rules
{
    /// <summary>The gate application's assembly; the cloud may use a face library, not the gate itself.</summary>
    public const string GateApplicationAssembly = "SmartSeal.EdgeFaceGate";

    /// <summary>Namespace segments that declare types but have no place in the layered list.</summary>
    public static IEnumerable<string> Unplaced(ModuleGraph graph) =>
        graph.Segments.Where(s => CloudModules.Find(s) is null).Select(s => $"{graph.Root}.{s} is not in CloudModules.Layers");

    /// <summary>A module using a module of its own layer or of a layer above it.</summary>
    public static IEnumerable<string> AgainstDirection(ModuleGraph graph)
    {
        foreach (TypeEdge edge in graph.Edges.Where(e => e.Internal))
        {
            if (CloudModules.Find(edge.FromSegment) is { } from && CloudModules.Find(edge.ToSegment!) is { } to
                && from.Module != to.Module && to.Layer <= from.Layer)
            {
                yield return $"{from.Module.Name} -> {to.Module.Name}: {Short(graph, edge.FromType)} -> {Short(graph, edge.ToType)}";
            }
        }
    }

    /// <summary>Module edges that lie on a cycle between modules.</summary>
    public static IEnumerable<string> CyclicModuleEdges(ModuleGraph graph) =>
        Cycles.CyclicEdges(graph.ModuleEdges()).Select(e => $"{e.From} -> {e.To}");

    /// <summary>SQL naming a table in a file of a module other than the table's owner.</summary>
    public static IEnumerable<string> SqlOutsideOwner(IEnumerable<TableUse> uses)
    {
        foreach (TableUse use in uses)
        {
            string owner = CloudModules.TableOwners.TryGetValue(use.Table, out string? o) ? o : "(no owner)";
            string? module = use.Segment is null ? null : CloudModules.Find(use.Segment)?.Module.Name;
            if (module != owner)
            {
                yield return $"{use.Path}: {use.Table} (owner {owner})";
            }
        }
    }

    /// <summary>Tables in the migrations that the owner map does not name, and names in the map that are no table.</summary>
    public static IEnumerable<string> OwnerMapMismatches(IReadOnlySet<string> tables) =>
        tables.Where(t => !CloudModules.TableOwners.ContainsKey(t)).Select(t => $"table {t} has no owner in CloudModules.TableOwners")
            .Concat(CloudModules.TableOwners.Keys.Where(t => !tables.Contains(t)).Select(t => $"CloudModules.TableOwners names {t}, which no migration creates"));

    /// <summary>Portal code reaching the database itself (Dapper, ADO.NET, the cloud's Database) instead of a module's API.</summary>
    public static IEnumerable<string> PortalDataAccess(ModuleGraph graph) =>
        graph.Edges.Where(e => e.FromSegment == "Portal" && IsDataAccess(e.ToType))
            .Select(e => $"{Short(graph, e.FromType)} -> {e.ToType}")
            .Distinct();

    /// <summary>Types using a type of the gate application's assembly.</summary>
    public static IEnumerable<string> GateApplicationUses(ModuleGraph graph) =>
        graph.Edges.Where(e => AssemblyName(e.ToAssembly) == GateApplicationAssembly)
            .Select(e => $"{Short(graph, e.FromType)} -> {e.ToType}")
            .Distinct();

    private static bool IsDataAccess(string type) =>
        type.StartsWith("Dapper.", StringComparison.Ordinal)
        || type.StartsWith("System.Data.", StringComparison.Ordinal)
        || type.StartsWith("Microsoft.Data.Sqlite.", StringComparison.Ordinal)
        || type.StartsWith("Npgsql.", StringComparison.Ordinal)
        || type.StartsWith(CloudModules.Root + ".", StringComparison.Ordinal) && type.EndsWith(".Database", StringComparison.Ordinal);

    /// <summary>"SmartSeal.EdgeFaceGate, Version=…" → "SmartSeal.EdgeFaceGate".</summary>
    public static string AssemblyName(string name) => name.Split(',')[0].Trim();

    private static string Short(ModuleGraph graph, string type) =>
        type.StartsWith(graph.Root + ".", StringComparison.Ordinal) ? type[(graph.Root.Length + 1)..] : type;
}
