using SmartSeal.Simulators.Host;
using SmartSeal.Simulators.Scenarios;
using SmartSeal.Simulators.Tui;
using Spectre.Console;

namespace SmartSeal.Simulators.Cli;

/// <summary>lock/cabinet --scenario: plays a scenario file, prints the summary table, exit code 0 when every expectation held.</summary>
public static class ScenarioCommand
{
    public static int Run(string file, string broker, byte[] masterKey, string? stateDir, bool tui, SimLog log)
    {
        Scenario scenario = Scenario.Load(file);
        BrokerEndpoint? external = broker == "embedded" ? null : BrokerEndpoint.Parse(broker);
        using var world = new ScenarioWorld(masterKey, log, external: external);
        ScenarioResult result;
        if (tui)
        {
            var view = new DeviceView(log);
            result = null!;
            AnsiConsole.Live(view.Render(Array.Empty<Devices.DeviceSnapshot>(), scenario.Name)).Start(ctx =>
            {
                result = new ScenarioRunner(world, stateDir, d =>
                {
                    ctx.UpdateTarget(view.Render(new[] { d.Snapshot() }, scenario.Name));
                    Thread.Sleep(150);
                }).Run(scenario);
            });
        }
        else
        {
            result = new ScenarioRunner(world, stateDir).Run(scenario);
        }

        ScenarioReport.Print(result, AnsiConsole.Console);
        return result.Passed && log.ErrorCount == 0 ? 0 : 1;
    }
}
