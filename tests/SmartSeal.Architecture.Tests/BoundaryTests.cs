using System.Text.RegularExpressions;

namespace SmartSeal.Architecture.Tests;

/// <summary>The portal reaches data through module APIs only; the cloud does not use the gate application.</summary>
public class BoundaryTests(ITestOutputHelper output)
{
    [Fact]
    public void Portal_pages_reach_data_only_through_module_apis()
    {
        Violations.None("portal-data-access", Rules.PortalDataAccess(CloudCode.Graph), output);
    }

    [Fact]
    public void The_cloud_does_not_use_the_gate_application()
    {
        Violations.None("gate-application", GateApplicationFindings(), output);
    }

    /// <summary>Type uses, the compiled assembly reference and the project reference.</summary>
    private static IEnumerable<string> GateApplicationFindings()
    {
        foreach (string use in Rules.GateApplicationUses(CloudCode.Graph))
        {
            yield return use;
        }

        if (CloudCode.Assembly.GetReferencedAssemblies().Any(a => a.Name == Rules.GateApplicationAssembly))
        {
            yield return "assembly reference: " + Rules.GateApplicationAssembly;
        }

        string project = File.ReadAllText(Path.Combine(Repository.CloudSources, "SmartSeal.Cloud.csproj"));
        if (Regex.IsMatch(project, @"ProjectReference\s+Include=""[^""]*[\\/]" + Regex.Escape(Rules.GateApplicationAssembly) + @"\.csproj"""))
        {
            yield return "project reference: " + Rules.GateApplicationAssembly + ".csproj";
        }
    }
}
