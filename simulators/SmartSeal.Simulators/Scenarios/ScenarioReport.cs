using Spectre.Console;

namespace SmartSeal.Simulators.Scenarios;

/// <summary>The summary table of a scenario run: every step, its outcome, the scripted time.</summary>
public static class ScenarioReport
{
    public static void Print(ScenarioResult result, IAnsiConsole console)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(result.Name)}[/]").AddColumns("#", "step", "t (s)", "outcome", "detail");
        foreach (StepOutcome s in result.Steps)
        {
            table.AddRow(
                s.Index.ToString(),
                Markup.Escape(s.Step),
                (s.ScenarioMs / 1000.0).ToString("0.0"),
                s.Passed ? "[green]ok[/]" : "[red]FAILED[/]",
                Markup.Escape(s.Detail));
        }

        console.Write(table);
        console.MarkupLine(result.Passed ? "[green]every expectation held[/]" : $"[red]{result.Steps.Count(s => !s.Passed)} step(s) failed[/]");
    }
}
