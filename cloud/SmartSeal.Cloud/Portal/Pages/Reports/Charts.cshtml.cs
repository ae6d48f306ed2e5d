using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal.Pages.Reports;

/// <summary>
/// Charts over the last N months (<see cref="ReportCharts"/>, within the auditor's units): uses per
/// seal (stacked), refusals and alarms, approval lead times (median and p90, hours). Drawn as inline
/// SVG by <see cref="SvgChart"/>; every chart has its numbers in a table too.
/// </summary>
public sealed class ChartsModel(ReportCharts charts, ReportClock reportClock) : PageModel
{
    public const int MaxMonths = 36;

    /// <summary>Series beyond this many seals are summed into "others".</summary>
    public const int MaxSeals = 6;

    [BindProperty(SupportsGet = true)]
    public int Months { get; set; } = 12;

    public UsesChart Uses { get; private set; } = null!;

    public IncidentsChart Incidents { get; private set; } = null!;

    public LeadTimesChart LeadTimes { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Months = Math.Clamp(Months, 1, MaxMonths);
        DateTimeOffset now = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(reportClock.NowMs), reportClock.Zone);
        DateTimeOffset first = now.AddMonths(1 - Months);
        var period = new ChartPeriod(reportClock.MonthStartMs(first.Year, first.Month), reportClock.NowMs);
        LedgerAudience scope = LedgerAudience.Of(User);
        Uses = await charts.UsesAsync(scope, period, cancellationToken);
        Incidents = await charts.IncidentsAsync(scope, period, cancellationToken);
        LeadTimes = await charts.LeadTimesAsync(scope, period, cancellationToken);
    }

    /// <summary>The busiest seals as their own series, the rest as one "others" series.</summary>
    public IReadOnlyList<SvgChart.Series> UseSeries(string others)
    {
        var busiest = Uses.Seals.OrderByDescending(s => s.Values.Sum()).ThenBy(s => s.SealId, StringComparer.Ordinal).ToList();
        var series = busiest.Take(MaxSeals).Where(s => s.Values.Sum() > 0).Select(s => new SvgChart.Series(s.Name, s.Values.Select(v => (double)v).ToArray())).ToList();
        var rest = busiest.Skip(MaxSeals).ToList();
        if (rest.Sum(s => s.Values.Sum()) > 0)
        {
            series.Add(new SvgChart.Series(others, Uses.Months.Select((_, i) => (double)rest.Sum(s => s.Values[i])).ToArray()));
        }

        return series;
    }

    public static double Hours(long? ms) => ms is { } value ? Math.Round(value / 3_600_000.0, 1) : double.NaN;
}
