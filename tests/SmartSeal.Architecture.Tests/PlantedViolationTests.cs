namespace SmartSeal.Architecture.Tests;

/// <summary>
/// Each rule, run over code that breaks it on purpose (Planted/PlantedViolations.cs, planted SQL
/// below), finds the violation, and the violation is new against the cloud's allowlist, so the
/// cloud's test would fail on it.
/// </summary>
public class PlantedViolationTests(ITestOutputHelper output)
{
    private const string PlantedRoot = "SmartSeal.Architecture.Tests.Planted.Cloud";

    [Fact]
    public void A_namespace_outside_the_layers_is_caught()
    {
        Assert.Equal([$"{PlantedRoot}.Shortcuts is not in CloudModules.Layers"], Rules.Unplaced(CloudCode.PlantedGraph));
    }

    [Fact]
    public void A_module_using_a_higher_layer_is_caught()
    {
        List<string> found = Rules.AgainstDirection(CloudCode.PlantedGraph).ToList();
        Assert.Equal(["Ledger -> Reports: Ledger.PlantedLedgerStore -> Reports.PlantedQuarterlyReport"], found);
        AssertTheCloudRuleFails("direction", found);
    }

    [Fact]
    public void A_cycle_between_modules_is_caught()
    {
        List<string> found = Rules.CyclicModuleEdges(CloudCode.PlantedGraph).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Ledger -> Reports", "Reports -> Ledger"], found);
        Assert.Equal([["Ledger", "Reports"]], Cycles.Knots(CloudCode.PlantedGraph.ModuleEdges()));
    }

    [Fact]
    public void A_longer_cycle_is_caught_and_a_chain_is_not()
    {
        var chain = new SortedSet<(string, string)> { ("Portal", "Reports"), ("Reports", "Ledger"), ("Ledger", "Platform") };
        Assert.Empty(Cycles.CyclicEdges(chain));
        var loop = new SortedSet<(string, string)>(chain) { ("Platform", "Portal") };
        Assert.Equal(4, Cycles.CyclicEdges(loop).Count);
        Assert.Empty(Cycles.MutualPairs(loop));
    }

    [Fact]
    public void SQL_on_another_modules_table_is_caught()
    {
        SourceFile[] planted =
        [
            new("Reports/LeakyReport.cs", """
                namespace SmartSeal.Cloud.Reports;
                public static class LeakyReport
                {
                    public const string Sql = "SELECT s.name FROM seals s JOIN org_units o ON o.id = s.unit_id WHERE s.state = 'seals'";
                    public static string Route(string unit) => $"/api/seals?unit={unit}: seals from {unit}";
                }
                """),
            new("Seals/SealStore.cs", """
                namespace SmartSeal.Cloud.Seals;
                public static class SealStore
                {
                    public static string Update(string column) => $"UPDATE seals SET {column} = @value WHERE id = @id";
                }
                """),
        ];

        IReadOnlyList<TableUse> uses = SqlTableScanner.Scan(planted, CloudCode.Tables, CloudModules.Root);
        List<string> found = Rules.SqlOutsideOwner(uses).ToList();
        Assert.Equal(["Reports/LeakyReport.cs: org_units (owner Organisation)", "Reports/LeakyReport.cs: seals (owner Seals)"], found);
        Assert.Contains(uses, u => u.Path == "Seals/SealStore.cs" && u.Table == "seals");
        AssertTheCloudRuleFails("sql-owners", found);
    }

    [Fact]
    public void A_table_without_an_owner_is_caught()
    {
        var tables = new SortedSet<string>(CloudModules.TableOwners.Keys) { "planted_shadow_ledger" };
        Assert.Equal(["table planted_shadow_ledger has no owner in CloudModules.TableOwners"], Rules.OwnerMapMismatches(tables));
    }

    [Fact]
    public void A_portal_page_querying_the_database_is_caught()
    {
        List<string> found = Rules.PortalDataAccess(CloudCode.PlantedGraph).ToList();
        Assert.Contains("Portal.PlantedPage -> Dapper.SqlMapper", found);
        Assert.Contains("Portal.PlantedPage -> SmartSeal.Cloud.Storage.Database", found);
        Assert.Contains("Portal.PlantedPage -> System.Data.Common.DbConnection", found);
        AssertTheCloudRuleFails("portal-data-access", found);
    }

    [Fact]
    public void Cloud_code_using_the_gate_application_is_caught()
    {
        List<string> found = Rules.GateApplicationUses(CloudCode.PlantedGraph).ToList();
        Assert.Equal(["Gate.PlantedEnrolment -> SmartSeal.EdgeFaceGate.GateStatus"], found);
        AssertTheCloudRuleFails("gate-application", found);
    }

    [Fact]
    public void A_rule_fails_on_any_violation_and_passes_on_none()
    {
        Violations.None("planted", [], output);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Violations.None("planted", ["Seals -> Reports: c"], output));
    }

    /// <summary>The cloud's own check fails on these.</summary>
    private void AssertTheCloudRuleFails(string rule, IReadOnlyList<string> found) =>
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Violations.None(rule, found, output));
}
