using ArchUnitNET.Fluent;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace SmartSeal.Architecture.Tests;

/// <summary>
/// The module graph the rules use agrees with ArchUnitNET's own rule engine on the same assembly:
/// a module edge the graph reports is a dependency ArchUnitNET finds, and one it does not report
/// is absent there too (so the graph's folding of nested and compiler-generated types loses nothing).
/// </summary>
public class EngineAgreementTests
{
    [Theory]
    [InlineData("Ledger", "Reports")]
    [InlineData("Ingest", "Mqtt")]
    [InlineData("Checkouts", "Ledger")]
    [InlineData("Storage", "Portal")]
    [InlineData("Devices", "Checkouts")]
    [InlineData("Alarms", "Seals")]
    public void The_graph_and_ArchUnitNET_agree_on_a_folder_edge(string from, string to)
    {
        IArchRule rule = Types().That().ResideInNamespaceMatching(Under(from)).Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Under(to)));
        bool graphHasEdge = CloudCode.Graph.FolderEdges().Contains((from, to));
        Assert.Equal(!graphHasEdge, rule.HasNoViolations(ModuleGraph.ArchitectureOf(CloudCode.Assembly)));
    }

    [Fact]
    public void The_platform_never_reaches_the_portal_or_reports()
    {
        // True today and meant to stay so; checked with ArchUnitNET's own xUnit assertion.
        IArchRule rule = Types().That().ResideInNamespaceMatching(Under("(Storage|Security)"))
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Under("(Portal|Reports)")));
        rule.Check(ModuleGraph.ArchitectureOf(CloudCode.Assembly));
    }

    /// <summary>A folder's namespace and the namespaces under it, as a regular expression.</summary>
    private static string Under(string folder) => $@"^{CloudModules.Root.Replace(".", @"\.", StringComparison.Ordinal)}\.{folder}(\..*)?$";
}
