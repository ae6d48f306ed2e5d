namespace SmartSeal.Architecture.Tests;

/// <summary>The cloud as the rules see it: its compiled types and its sources.</summary>
public static class CloudCode
{
    public static System.Reflection.Assembly Assembly => typeof(SmartSeal.Cloud.Hosting.CloudHostingExtensions).Assembly;

    public static ModuleGraph Graph => ModuleGraph.Load(Assembly, CloudModules.Root);

    public static IReadOnlySet<string> Tables => SqlTableScanner.TablesIn(Path.Combine(Repository.CloudSources, "Storage", "Migrations"));

    public static IReadOnlyList<TableUse> TableUses => SqlTableScanner.Scan(SourceFile.Under(Repository.CloudSources), Tables, CloudModules.Root);

    /// <summary>The planted violations (Planted/PlantedViolations.cs) as a graph under their own root.</summary>
    public static ModuleGraph PlantedGraph => ModuleGraph.Load(typeof(CloudCode).Assembly, "SmartSeal.Architecture.Tests.Planted.Cloud");
}
