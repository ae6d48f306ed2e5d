using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Portal;
using SmartSeal.Cloud.Portal.Pages.Applications;

namespace SmartSeal.Portal.Tests;

/// <summary>Times in the user's zone and the typed polygon (no browser needed).</summary>
public sealed class PortalClockTests
{
    private static PortalClock ClockFor(string? zoneCookie)
    {
        var context = new DefaultHttpContext();
        if (zoneCookie is not null)
        {
            context.Request.Headers.Cookie = PortalClock.CookieName + "=" + Uri.EscapeDataString(zoneCookie);
        }

        return new PortalClock(new HttpContextAccessor { HttpContext = context }, Options.Create(new PortalOptions()), TimeProvider.System);
    }

    [Fact]
    public void Without_a_browser_zone_times_are_shown_in_Shanghai_time()
    {
        PortalClock clock = ClockFor(null);
        long instant = DateTimeOffset.Parse("2026-11-25T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal("Asia/Shanghai", clock.Zone.Id);
        Assert.Equal("2026-11-25 12:00", clock.Format(instant));
        Assert.Equal("2026-11-25T12:00", clock.Input(instant));
        Assert.Equal(instant, clock.ParseInput("2026-11-25T12:00"));
    }

    [Fact]
    public void The_browsers_zone_wins_including_summer_time_and_a_bad_cookie_falls_back()
    {
        long july = DateTimeOffset.Parse("2026-07-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal("2026-07-01 12:00", ClockFor("Europe/Berlin").Format(july)); // CEST, UTC+2
        Assert.Equal(july, ClockFor("Europe/Berlin").ParseInput("2026-07-01T12:00"));
        Assert.Equal("Asia/Shanghai", ClockFor("Mars/Olympus_Mons").Zone.Id);
        Assert.Null(ClockFor(null).ParseInput("tomorrow"));
    }

    [Fact]
    public void A_search_period_runs_from_the_first_days_midnight_to_the_end_of_the_last_day_in_the_users_zone()
    {
        (long? fromMs, long? toMs) = ClockFor(null).ParseDays("2026-11-25", "2026-11-26");
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), fromMs);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() - 1, toMs);
        (long? openFrom, long? badTo) = ClockFor(null).ParseDays(null, "26.11.2026");
        Assert.Null(openFrom);
        Assert.Null(badTo);
    }

    [Fact]
    public void A_typed_polygon_needs_three_numeric_corners()
    {
        Assert.Equal(3, NewModel.ParsePolygon("22.5, 114.0\n22.6, 114.1\n22.55 114.2")!.Length);
        Assert.Equal(3, NewModel.ParsePolygon("22.5,114.0; 22.6,114.1; 22.55,114.2")!.Length);
        Assert.Null(NewModel.ParsePolygon("22.5, 114.0\n22.6, 114.1"));
        Assert.Null(NewModel.ParsePolygon("22.5, 114.0\n22.6, east\n22.55, 114.2"));
        Assert.Null(NewModel.ParsePolygon(""));
    }
}
