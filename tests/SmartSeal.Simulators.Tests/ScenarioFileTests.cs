using SmartSeal.Simulators.Scenarios;

namespace SmartSeal.Simulators.Tests;

/// <summary>Every example scenario in simulators/scenarios runs to success against the fixture's broker.</summary>
public class ScenarioFileTests(BrokerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : SimulatorTest(fixture)
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
        string path = Path.Combine(ScenarioFolder(), file);
        if (File.ReadAllText(path).Contains("$shared/", StringComparison.Ordinal) && !SharedAvailable(output))
        {
            return;
        }

        Scenario scenario = Scenario.Load(path);
        using ScenarioWorld world = Fixture.NewWorld();
        ScenarioResult result = new ScenarioRunner(world).Run(scenario);
        Assert.True(result.Passed, string.Join("\n", result.Steps.Where(s => !s.Passed).Select(s => $"step {s.Index} {s.Step}: {s.Detail}")));
        Assert.True(result.Steps.Count > 5);
    }

    /// <summary>../shared (or SMARTSEAL_SHARED); missing fails unless SMARTSEAL_ALLOW_MISSING_SHARED=1, then the test says it was skipped.</summary>
    private static bool SharedAvailable(Xunit.Abstractions.ITestOutputHelper output)
    {
        string shared = Environment.GetEnvironmentVariable("SMARTSEAL_SHARED") is { Length: > 0 } s ? s : Path.Combine(ScenarioFolder(), "..", "..", "..", "shared");
        if (Directory.Exists(Path.Combine(shared, "data", "nmea")))
        {
            return true;
        }

        string message = $"SKIPPED: {Path.GetFullPath(shared)} is missing.";
        if (Environment.GetEnvironmentVariable("SMARTSEAL_ALLOW_MISSING_SHARED") == "1")
        {
            output.WriteLine(message);
            return false;
        }

        Assert.Fail(message + " Put ../shared beside the repository or set SMARTSEAL_ALLOW_MISSING_SHARED=1.");
        return false;
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
