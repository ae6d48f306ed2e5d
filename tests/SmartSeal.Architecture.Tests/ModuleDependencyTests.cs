namespace SmartSeal.Architecture.Tests;

/// <summary>Cloud modules use only modules of lower layers (CloudModules.Layers), and no two modules use each other, even through others.</summary>
public class ModuleDependencyTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_cloud_namespace_has_a_place_in_the_layers()
    {
        ModuleGraph graph = CloudCode.Graph;
        Assert.Contains("Ledger", graph.Segments);
        Assert.Contains("Portal", graph.Segments);
        Assert.Empty(Rules.Unplaced(graph));
    }

    [Fact]
    public void Modules_use_only_modules_of_lower_layers()
    {
        Violations.None("direction", Rules.AgainstDirection(CloudCode.Graph), output);
    }

    [Fact]
    public void No_cycles_between_modules()
    {
        ModuleGraph graph = CloudCode.Graph;
        IReadOnlySet<(string From, string To)> folders = graph.FolderEdges();
        IReadOnlySet<(string From, string To)> modules = graph.ModuleEdges();
        output.WriteLine($"folders: {graph.Segments.Count}, folder edges: {folders.Count}, pairs that use each other: {Cycles.MutualPairs(folders).Count}, edges on cycles: {Cycles.CyclicEdges(folders).Count}");
        foreach (IReadOnlyList<string> knot in Cycles.Knots(folders))
        {
            output.WriteLine($"  folder knot of {knot.Count}: {string.Join(' ', knot)}");
        }

        foreach ((string a, string b) in Cycles.MutualPairs(folders))
        {
            output.WriteLine($"  {Name(a)} <-> {b}");
        }

        foreach (IGrouping<string, (string From, string To)> from in folders.GroupBy(e => e.From))
        {
            output.WriteLine($"  {Name(from.Key)} uses {string.Join(' ', from.Select(e => Name(e.To)))}");
        }

        output.WriteLine($"modules: {modules.Count} edges, pairs that use each other: {Cycles.MutualPairs(modules).Count}, edges on cycles: {Cycles.CyclicEdges(modules).Count}");
        foreach (IReadOnlyList<string> knot in Cycles.Knots(modules))
        {
            output.WriteLine($"  module knot of {knot.Count}: {string.Join(' ', knot)}");
        }

        Violations.None("cycles", Rules.CyclicModuleEdges(graph), output);
    }

    private static string Name(string segment) => segment.Length == 0 ? "(root)" : segment;
}
