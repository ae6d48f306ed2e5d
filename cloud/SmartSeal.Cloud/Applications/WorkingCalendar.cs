namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Working time (default Mon–Fri 09:00–18:00 Asia/Shanghai, minus holidays, plus make-up working
/// days): step deadlines count only working time, so a normal request filed on Friday evening is
/// due at Monday's close, not on Saturday.
/// </summary>
public sealed class WorkingCalendar(TimeZoneInfo zone, TimeOnly dayStart, TimeOnly dayEnd, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> extraWorkingDays,
    IEnumerable<DayOfWeek>? workingDays = null)
{
    private readonly HashSet<DayOfWeek> _workingDays = [.. workingDays ?? [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]];
    private readonly HashSet<DateOnly> _holidays = [.. holidays];
    private readonly HashSet<DateOnly> _extraWorkingDays = [.. extraWorkingDays];

    public TimeSpan WorkingDay => dayEnd - dayStart;

    public static WorkingCalendar From(ApprovalOptions options) => new(
        TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone),
        TimeOnly.Parse(options.DayStart, System.Globalization.CultureInfo.InvariantCulture),
        TimeOnly.Parse(options.DayEnd, System.Globalization.CultureInfo.InvariantCulture),
        options.Holidays.Select(d => DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture)),
        options.WorkingWeekends.Select(d => DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture)),
        options.WorkingDays);

    public bool IsWorkingDay(DateOnly day) =>
        _extraWorkingDays.Contains(day) || (_workingDays.Contains(day.DayOfWeek) && !_holidays.Contains(day));

    /// <summary>The instant when <paramref name="work"/> of working time has passed after <paramref name="from"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset from, TimeSpan work)
    {
        DateTime local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        TimeSpan left = work;
        for (int guard = 0; guard < 3660; guard++)
        {
            DateOnly day = DateOnly.FromDateTime(local);
            DateTime open = day.ToDateTime(dayStart);
            DateTime close = day.ToDateTime(dayEnd);
            if (IsWorkingDay(day) && local < close)
            {
                DateTime begin = local < open ? open : local;
                if (begin + left <= close)
                {
                    return ToInstant(begin + left);
                }

                left -= close - begin;
            }

            local = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }

        throw new InvalidOperationException("no working time in ten years: check the holiday list");
    }

    private DateTimeOffset ToInstant(DateTime local) => new(local, zone.GetUtcOffset(local));
}
