using SmartSeal.Simulators.Scenarios;

namespace SmartSeal.Simulators.Tests;

/// <summary>Every example scenario in simulators/scenarios runs to success against the fixture's broker.</summary>
public class ScenarioFileTests(BrokerFixture fixture) : SimulatorTest(fixture)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ScenarioFolder(), "*.json").OrderBy(f => f))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void There_are_example_scenarios_for_both_device_kinds()
    {
        var kinds = Directory.GetFiles(ScenarioFolder(), "*.json").Select(f => Scenario.Load(f).DeviceKind).Distinct().OrderBy(k => k);
        Assert.Equal(new[] { "cabinet", "lock" }, kinds);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_scenario_passes(string file)
    {
        Scenario scenario = Scenario.Load(Path.Combine(ScenarioFolder(), file));
        using ScenarioWorld world = Fixture.NewWorld();
        ScenarioResult result = new ScenarioRunner(world).Run(scenario);
        Assert.True(result.Passed, string.Join("\n", result.Steps.Where(s => !s.Passed).Select(s => $"step {s.Index} {s.Step}: {s.Detail}")));
        Assert.True(result.Steps.Count > 5);
    }

    internal static string ScenarioFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "simulators", "scenarios");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("simulators/scenarios not found above " + AppContext.BaseDirectory);
    }
}
