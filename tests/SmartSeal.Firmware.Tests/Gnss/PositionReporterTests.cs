using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Firmware.Tests.Gnss;

public class PositionReporterTests
{
    private const long T0 = 1_800_000_000_000;
    private const double Lat0 = 31.2304, Lon0 = 121.4737; // Shanghai
    private const double MetresPerDegreeLat = 111_195.0;

    private static GnssFix Fix(long seconds, double northMetres, double speed = 0, double accuracy = 5, bool valid = true) => new()
    {
        UtcMs = T0 + (seconds * 1000), TimeOfDayMs = seconds * 1000, Valid = valid,
        Latitude = Lat0 + (northMetres / MetresPerDegreeLat), Longitude = Lon0, SpeedMs = speed, CourseDeg = 0, AccuracyM = accuracy,
        Quality = 1, Satellites = 10, Hdop = accuracy / 5, AltitudeMsl = 5, Talker = "GN",
    };

    private static PositionDecision Offer(PositionReporter r, GnssFix fix) => r.Offer(fix, fix.UtcMs - T0);

    [Fact]
    public void Reports_slowly_when_still_fast_when_moving_and_at_once_when_starting_to_move()
    {
        var reporter = new PositionReporter(new PositionReporterSettings());
        Assert.Equal(PositionDecision.Report, Offer(reporter, Fix(0, 0)));
        Assert.Equal(PositionDecision.NotDue, Offer(reporter, Fix(60, 1)));
        Assert.Equal(PositionDecision.NotDue, Offer(reporter, Fix(299, 2)));
        Assert.Equal(PositionDecision.Report, Offer(reporter, Fix(300, 2)));
        Assert.False(reporter.Moving);

        Assert.Equal(PositionDecision.Report, Offer(reporter, Fix(305, 10, speed: 1.5))); // starts walking
        Assert.True(reporter.Moving);
        Assert.Equal(PositionDecision.NotDue, Offer(reporter, Fix(320, 30, speed: 1.4)));
        Assert.Equal(PositionDecision.Report, Offer(reporter, Fix(335, 50, speed: 1.4)));
        Assert.Equal(PositionDecision.NotDue, Offer(reporter, Fix(340, 51, speed: 0.2))); // slowing but 1 m from report
        Assert.False(reporter.Moving);
    }

    [Fact]
    public void Unusable_and_out_of_order_fixes_are_rejected_with_reasons()
    {
        var reporter = new PositionReporter(new PositionReporterSettings());
        Assert.Equal(PositionDecision.RejectedNoFix, Offer(reporter, Fix(0, 0, valid: false)));
        Assert.Equal(PositionDecision.RejectedInaccurate, Offer(reporter, Fix(0, 0, accuracy: 150)));
        Assert.Equal(PositionDecision.Report, Offer(reporter, Fix(10, 0)));
        Assert.Equal(PositionDecision.RejectedTimeOrder, Offer(reporter, Fix(10, 1)));
        Assert.Equal(PositionDecision.RejectedTimeOrder, Offer(reporter, Fix(5, 1)));
        Assert.Null(new PositionReporter(new PositionReporterSettings()).Current);
        Assert.Equal(Fix(10, 0).Latitude, reporter.Current!.Latitude);
    }

    [Fact]
    public void A_single_jump_is_rejected_but_a_confirmed_relocation_is_accepted()
    {
        var reporter = new PositionReporter(new PositionReporterSettings());
        Offer(reporter, Fix(0, 0));
        Assert.Equal(PositionDecision.RejectedJump, Offer(reporter, Fix(1, 5_000))); // 5 km in a second
        Assert.Equal(PositionDecision.NotDue, Offer(reporter, Fix(2, 1))); // back to normal: the jump was multipath
        Assert.Equal(Fix(2, 1).Latitude, reporter.Current!.Latitude);

        // The lock really is elsewhere (e.g. it was carried while GNSS was off): three consistent fixes.
        Assert.Equal(PositionDecision.RejectedJump, Offer(reporter, Fix(3, 20_000)));
        Assert.Equal(PositionDecision.RejectedJump, Offer(reporter, Fix(4, 20_001)));
        PositionDecision third = Offer(reporter, Fix(5, 20_002));
        Assert.True(third is PositionDecision.Report or PositionDecision.NotDue);
        Assert.Equal(Fix(5, 20_002).Latitude, reporter.Current!.Latitude);
    }

    [Fact]
    public void Fast_but_plausible_travel_is_not_a_jump()
    {
        var reporter = new PositionReporter(new PositionReporterSettings());
        Offer(reporter, Fix(0, 0));
        Assert.NotEqual(PositionDecision.RejectedJump, Offer(reporter, Fix(10, 600, speed: 60))); // 60 m/s on a highway
    }
}
