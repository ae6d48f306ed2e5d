using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Monthly series for the portal's charts (months in the reports' time zone, every month of the
/// period present even when empty, so the portal draws gaps as zeros).
/// </summary>
public sealed class ReportCharts(ReportQueries queries, ReportClock clock)
{
    /// <summary>Uses (stamps + cabinet hand-outs) per seal per month.</summary>
    public async Task<UsesChart> UsesAsync(LedgerAudience scope, ChartPeriod period, CancellationToken cancellationToken = default)
    {
        string[] months = Months(period);
        IReadOnlyList<ReportLedgerEvent> events = await queries.LedgerEventsAsync(scope, period.FromMs, period.ToMs, cancellationToken);
        IReadOnlyList<ReportSeal> seals = await queries.SealsAsync(scope, cancellationToken);
        var series = seals.Select(s =>
        {
            var perMonth = events.Where(e => e.SealId == s.Id && e.Kind != LedgerKinds.Refusal).GroupBy(e => clock.MonthOf(e.AtMs)).ToDictionary(g => g.Key, g => g.Count());
            return new SealSeries(s.Id, s.Name, months.Select(m => perMonth.GetValueOrDefault(m)).ToArray());
        }).ToList();
        return new UsesChart(months, series);
    }

    /// <summary>Refusals (ledger) and alarms raised, per month; alarms also by type.</summary>
    public async Task<IncidentsChart> IncidentsAsync(LedgerAudience scope, ChartPeriod period, CancellationToken cancellationToken = default)
    {
        string[] months = Months(period);
        IReadOnlyList<ReportLedgerEvent> events = await queries.LedgerEventsAsync(scope, period.FromMs, period.ToMs, cancellationToken);
        IReadOnlyList<(string Type, long RaisedMs)> alarms = await queries.AlarmsAsync(scope, period.FromMs, period.ToMs, cancellationToken);
        var refusals = events.Where(e => e.Kind == LedgerKinds.Refusal).GroupBy(e => clock.MonthOf(e.AtMs)).ToDictionary(g => g.Key, g => g.Count());
        var alarmMonths = alarms.GroupBy(a => clock.MonthOf(a.RaisedMs)).ToDictionary(g => g.Key, g => g.Count());
        var byType = alarms.GroupBy(a => a.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var perMonth = g.GroupBy(a => clock.MonthOf(a.RaisedMs)).ToDictionary(m => m.Key, m => m.Count());
            return new NamedSeries(g.Key, months.Select(m => perMonth.GetValueOrDefault(m)).ToArray());
        }).ToList();
        return new IncidentsChart(months, months.Select(m => refusals.GetValueOrDefault(m)).ToArray(), months.Select(m => alarmMonths.GetValueOrDefault(m)).ToArray(), byType);
    }

    /// <summary>Approval lead times of applications decided each month.</summary>
    public async Task<LeadTimesChart> LeadTimesAsync(LedgerAudience scope, ChartPeriod period, CancellationToken cancellationToken = default)
    {
        string[] months = Months(period);
        var byMonth = (await queries.DecisionsAsync(scope, period.FromMs, period.ToMs, cancellationToken)).ToLookup(d => clock.MonthOf(d.DecidedMs));
        return new LeadTimesChart(months, months.Select(m => LeadTimeStats.Of(byMonth[m])).ToArray());
    }

    /// <summary>The period's months, "yyyy-MM".</summary>
    public string[] Months(ChartPeriod period)
    {
        var months = new List<string>();
        string last = clock.MonthOf(period.ToMs - 1);
        DateTimeOffset cursor = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(period.FromMs), clock.Zone);
        var month = new DateTime(cursor.Year, cursor.Month, 1);
        while (true)
        {
            string name = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            months.Add(name);
            if (name == last || months.Count >= 120)
            {
                return [.. months];
            }

            month = month.AddMonths(1);
        }
    }
}

/// <summary>[FromMs, ToMs): at most 10 years; default the last 12 months.</summary>
public sealed record ChartPeriod(long FromMs, long ToMs);

public sealed record SealSeries(string SealId, string Name, int[] Values);

public sealed record NamedSeries(string Name, int[] Values);

public sealed record UsesChart(string[] Months, IReadOnlyList<SealSeries> Seals);

public sealed record IncidentsChart(string[] Months, int[] Refusals, int[] Alarms, IReadOnlyList<NamedSeries> AlarmsByType);

public sealed record LeadTimesChart(string[] Months, LeadTimeStats[] LeadTimes);
