namespace SmartSeal.Architecture.Tests;

/// <summary>The cloud as the rules see it: its compiled types and its sources.</summary>
public static class CloudCode
{
    public static System.Reflection.Assembly Assembly => typeof(SmartSeal.Cloud.Hosting.CloudHostingExtensions).Assembly;

    private static readonly Lazy<ModuleGraph> CloudGraph = new(() => ModuleGraph.Load(Assembly, CloudModules.Root));

    private static readonly Lazy<ModuleGraph> Planted = new(() => ModuleGraph.Load(typeof(CloudCode).Assembly, "SmartSeal.Architecture.Tests.Planted.Cloud"));

    public static ModuleGraph Graph => CloudGraph.Value;

    public static IReadOnlySet<string> Tables => SqlTableScanner.TablesIn(Path.Combine(Repository.CloudSources, "Storage", "Migrations"));

    public static IReadOnlyList<TableUse> TableUses => SqlTableScanner.Scan(SourceFile.Under(Repository.CloudSources), Tables, CloudModules.Root);

    /// <summary>The planted violations (Planted/PlantedViolations.cs) as a graph under their own root.</summary>
    public static ModuleGraph PlantedGraph => Planted.Value;
}
