using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Reports;

/// <summary>The reports' time zone (<see cref="ReportsOptions.TimeZone"/>) and calendar: months and quarters start at local midnight.</summary>
public sealed class ReportClock(IOptions<ReportsOptions> options, TimeProvider time)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Unix ms of local midnight on the first day of <paramref name="month"/> (1-12; 13 is January of the next year).</summary>
    public long MonthStartMs(int year, int month)
    {
        if (month > 12)
        {
            (year, month) = (year + (month - 1) / 12, (month - 1) % 12 + 1);
        }

        var local = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    public (long FromMs, long ToMs) Quarter(int year, int quarter) => (MonthStartMs(year, 3 * quarter - 2), MonthStartMs(year, 3 * quarter + 1));

    /// <summary>"2026-05" for an instant, in the reports' zone.</summary>
    public string MonthOf(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Zone).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
