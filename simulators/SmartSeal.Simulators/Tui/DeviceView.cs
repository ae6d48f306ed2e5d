using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SmartSeal.Simulators.Tui;

/// <summary>
/// The live terminal view (<c>--tui</c>): one row per device with mode, link phase, bolt or
/// latches, remaining uses, pending outbox, last events, refusals and active alarms; the latest
/// warnings underneath.
/// </summary>
public sealed class DeviceView
{
    private readonly SimLog _log;

    public DeviceView(SimLog log)
    {
        _log = log;
    }

    public IRenderable Render(IReadOnlyCollection<DeviceSnapshot> devices, string title, string? footer = null)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(title)}[/]").Expand()
            .AddColumns("device", "mode", "link", "bolt / latches", "uses left", "outbox", "last events", "refusals", "alarms");
        foreach (DeviceSnapshot d in devices)
        {
            table.AddRow(
                new Markup(Markup.Escape(d.DeviceId) + (d.PoweredOn ? string.Empty : " [red](off)[/]") + $"\n[grey]boot {d.BootCount}[/]"),
                new Markup(Markup.Escape(d.Mode)),
                new Markup(d.LinkPhase == "Up" ? "[green]Up[/]" : $"[yellow]{Markup.Escape(d.LinkPhase)}[/]"),
                new Markup(Markup.Escape(d.Actuators)),
                new Markup(d.Remaining?.ToString() ?? "-"),
                new Markup(d.PendingOutbox.ToString()),
                new Markup(Markup.Escape(string.Join("\n", d.LastEvents.Take(5)))),
                new Markup("[yellow]" + Markup.Escape(string.Join("\n", d.LastRefusals.Take(3))) + "[/]"),
                new Markup("[red]" + Markup.Escape(string.Join("\n", d.ActiveAlarms)) + "[/]"));
        }

        var warnings = _log.Recent.Where(e => e.Level >= SimLogLevel.Warning).TakeLast(5)
            .Select(e => $"[grey]{e.Time:HH:mm:ss}[/] {(e.Level == SimLogLevel.Error ? "[red]" : "[yellow]")}{Markup.Escape(e.Source + ": " + e.Message)}[/]");
        var rows = new List<IRenderable> { table };
        if (footer != null)
        {
            rows.Add(new Markup(Markup.Escape(footer)));
        }

        rows.Add(new Markup(string.Join("\n", warnings)));
        return new Rows(rows);
    }
}
