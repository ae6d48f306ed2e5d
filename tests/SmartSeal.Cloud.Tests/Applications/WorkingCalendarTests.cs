using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Tests.Applications;

/// <summary>Step deadlines over the working calendar (Mon–Fri 09:00–18:00 Asia/Shanghai, holidays, make-up days).</summary>
public class WorkingCalendarTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static WorkingCalendar Calendar(string[]? holidays = null, string[]? workingWeekends = null) =>
        WorkingCalendar.From(new ApprovalOptions { Holidays = [.. holidays ?? []], WorkingWeekends = [.. workingWeekends ?? []] });

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    [Fact]
    public void One_working_day_from_a_tuesday_morning_is_wednesday_morning() =>
        Assert.Equal(At(12, 2, 10, 30), Calendar().Add(At(12, 1, 10, 30), TimeSpan.FromHours(9))); // 2026-12-01 is a Tuesday

    [Fact]
    public void Time_outside_working_hours_does_not_count()
    {
        Assert.Equal(At(12, 2, 18), Calendar().Add(At(12, 1, 20), TimeSpan.FromHours(9)));      // filed in the evening: due at close next day
        Assert.Equal(At(12, 1, 11), Calendar().Add(At(12, 1, 7), TimeSpan.FromHours(2)));       // filed before opening
        Assert.Equal(At(12, 2, 10), Calendar().Add(At(12, 1, 17), TimeSpan.FromHours(2)));      // urgent at 17:00: 1 h today, 1 h tomorrow
    }

    [Fact]
    public void Weekends_and_holidays_are_skipped_and_make_up_days_count()
    {
        Assert.Equal(At(12, 7, 16), Calendar().Add(At(12, 4, 16), TimeSpan.FromHours(9)));     // Friday 16:00 → Monday 16:00
        Assert.Equal(At(12, 8, 16), Calendar(["2026-12-07"]).Add(At(12, 4, 16), TimeSpan.FromHours(9)));
        Assert.Equal(At(12, 5, 16), Calendar(workingWeekends: ["2026-12-05"]).Add(At(12, 4, 16), TimeSpan.FromHours(9)));
    }

    [Fact]
    public void A_due_time_computed_from_utc_lands_on_the_same_instant()
    {
        DateTimeOffset utc = At(12, 1, 10).ToUniversalTime();
        Assert.Equal(At(12, 1, 12), Calendar().Add(utc, TimeSpan.FromHours(2)));
        Assert.False(Calendar(["2026-10-01"]).IsWorkingDay(new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void The_working_days_and_hours_are_configurable()
    {
        var sixDays = WorkingCalendar.From(new ApprovalOptions
        {
            WorkingDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
            DayStart = "08:30",
            DayEnd = "17:30",
        });
        Assert.Equal(At(12, 5, 15), sixDays.Add(At(12, 4, 15), TimeSpan.FromHours(9))); // Friday 15:00 → Saturday 15:00
        Assert.Equal(At(12, 7, 9, 30), sixDays.Add(At(12, 5, 17), TimeSpan.FromHours(1.5))); // Saturday 17:00 → Monday 09:30
    }
}
