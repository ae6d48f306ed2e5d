namespace SmartSeal.Cloud.Risk;

/// <summary>
/// <c>SmartSeal:Risk</c>: when a use counts as unusual. Working hours are local to <see cref="TimeZone"/>;
/// a unit's day is "far above its norm" when it has at least <see cref="NormMinimumUses"/> stamps and more
/// than <see cref="NormFactor"/> times its average day over the <see cref="NormDays"/> before it;
/// <see cref="RefusalsInRow"/> refusals of one person within <see cref="RefusalWindow"/> are one flag.
/// </summary>
public sealed class RiskOptions
{
    public const string Section = "SmartSeal:Risk";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public TimeSpan WorkdayStart { get; set; } = TimeSpan.FromHours(8);

    public TimeSpan WorkdayEnd { get; set; } = TimeSpan.FromHours(18);

    public List<DayOfWeek> WorkingDays { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public double NormFactor { get; set; } = 3.0;

    public int NormMinimumUses { get; set; } = 5;

    public int NormDays { get; set; } = 30;

    public int RefusalsInRow { get; set; } = 3;

    public TimeSpan RefusalWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the board looks when no period is given.</summary>
    public int BoardDays { get; set; } = 30;

    /// <summary>Problems with the configuration, empty when usable (checked at start).</summary>
    public IEnumerable<string> Problems()
    {
        if (System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _) is false)
        {
            yield return $"SmartSeal:Risk:TimeZone '{TimeZone}' is not a known time zone";
        }

        if (WorkdayStart < TimeSpan.Zero || WorkdayEnd > TimeSpan.FromHours(24) || WorkdayStart >= WorkdayEnd)
        {
            yield return "SmartSeal:Risk: WorkdayStart must be before WorkdayEnd, both within the day";
        }

        if (NormFactor <= 1 || NormMinimumUses < 1 || NormDays < 1 || RefusalsInRow < 2 || RefusalWindow <= TimeSpan.Zero || BoardDays < 1)
        {
            yield return "SmartSeal:Risk: NormFactor > 1, NormMinimumUses >= 1, NormDays >= 1, RefusalsInRow >= 2, RefusalWindow > 0, BoardDays >= 1";
        }
    }
}
