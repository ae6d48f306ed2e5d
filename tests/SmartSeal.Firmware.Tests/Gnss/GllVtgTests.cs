using System.Text;
using System.Text.Json;
using SmartSeal.Firmware.Gnss;
using static SmartSeal.Firmware.Tests.Gnss.NmeaParserTests;

namespace SmartSeal.Firmware.Tests.Gnss;

/// <summary>
/// GLL (position, time, status) and VTG (course and speed) for receivers that do not send RMC/GGA
/// every cycle. Sentences are real receivers' output from the gpsd captures (see Captures/README.md
/// and ../shared/data/nmea/README.md).
/// </summary>
public class GllVtgTests
{
    private readonly ITestOutputHelper _output;

    public GllVtgTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Gll_from_the_sounder_capture_gives_position_time_and_validity()
    {
        var (result, s) = Parse("$ECGLL,5119.881,N,00125.169,E,164326,A,D*52");
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(NmeaSentenceKind.Gll, s.Kind);
        Assert.Equal(('E', 'C'), (s.Talker1, s.Talker2));
        Assert.Equal(51 + (19.881 / 60), s.Latitude, 9);
        Assert.Equal(1 + (25.169 / 60), s.Longitude, 9);
        Assert.Equal(((16 * 3600) + (43 * 60) + 26) * 1000L, s.TimeOfDayMs);
        Assert.True(s.Valid);
    }

    [Theory]
    [InlineData("$GPGLL,4023.8600,N,00339.1630,W,214350,V,S*57")] // status V (garmin-geko201)
    [InlineData("$GPGLL,4023.8600,N,00339.1630,W,214350,A,N")] // that line with status A but mode N (not valid)
    public void Gll_with_status_v_or_mode_n_is_not_valid(string line)
    {
        var (result, s) = Parse(line.Contains('*', StringComparison.Ordinal) ? line : WithChecksum(line));
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.False(s.Valid);
        Assert.Equal(-(3 + (39.1630 / 60)), s.Longitude, 9);
    }

    [Fact]
    public void Gll_of_nmea_1_without_time_and_status_is_malformed_not_a_fix()
    {
        Assert.Equal(NmeaResult.Malformed, Parse(WithChecksum("$GPGLL,4916.45,N,12311.12,W")).Result);
    }

    [Theory]
    [InlineData("$GPVTG,133.96,T,,,1.93,N,3.57,K,A*74", 133.96, 1.93)] // haicom-305N, no magnetic course
    [InlineData("$GPVTG,330.63,T,345.26,M,0.00,N,0.00,K,A*20", 330.63, 0.00)] // hemi
    public void Vtg_gives_course_true_and_speed_from_knots(string line, double course, double knots)
    {
        var (result, s) = Parse(line);
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(NmeaSentenceKind.Vtg, s.Kind);
        Assert.Equal(course, s.CourseDeg, 9);
        Assert.Equal(knots * 1852 / 3600, s.SpeedMs, 9);
        Assert.Equal(-1, s.TimeOfDayMs); // VTG carries no time
        Assert.True(s.Valid);
    }

    [Fact]
    public void Vtg_with_mode_n_or_no_speed_carries_nothing()
    {
        var (result, s) = Parse("$GPVTG,,T,,M,,N,,K,N*2C"); // hemi, before its first fix
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.False(s.Valid);
        Assert.True(double.IsNaN(s.SpeedMs));
    }

    [Fact]
    public void Pre_2_3_vtg_without_unit_letters_is_read_by_position()
    {
        var (result, s) = Parse(WithChecksum("$GPVTG,054.7,034.4,005.5,010.2"));
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(54.7, s.CourseDeg, 9);
        Assert.Equal(5.5 * 1852 / 3600, s.SpeedMs, 9);
    }

    [Theory]
    [InlineData("$GPVTG,361.0,T,,M,1.0,N,1.9,K,A")] // course over 360
    [InlineData("$GPVTG,10.0,T,,M,-1.0,N,1.9,K,A")] // negative speed
    public void Impossible_vtg_values_are_refused(string body)
    {
        Assert.Equal(NmeaResult.ImpossibleValue, Parse(WithChecksum(body)).Result);
    }

    [Fact]
    public void A_vtg_fills_speed_and_course_of_a_cycle_that_has_none()
    {
        var fixes = new List<GnssFix>();
        var receiver = new GnssReceiver(fixes.Add);
        Feed(receiver,
            WithChecksum("$GPGLL,5119.881,N,00125.169,E,164326.00,A,A"),
            "$GPVTG,133.96,T,,,1.93,N,3.57,K,A*74",
            WithChecksum("$GPGLL,5119.882,N,00125.169,E,164327.00,A,A"));
        receiver.Flush();

        Assert.Equal(2, fixes.Count);
        Assert.True(fixes[0].Valid);
        Assert.Equal(133.96, fixes[0].CourseDeg, 9);
        Assert.Equal(1.93 * 1852 / 3600, fixes[0].SpeedMs, 9);
        Assert.True(double.IsNaN(fixes[1].SpeedMs)); // the VTG belonged to the first cycle only
    }

    [Fact]
    public void A_gll_only_receiver_agrees_with_gpsd_fix_by_fix()
    {
        string capture = Path.Combine(AppContext.BaseDirectory, "Gnss", "Captures", "sounder.log");
        var (fixes, receiver) = GpsdCaptureTests.Decode(capture);
        List<JsonElement> tpvs = GpsdCaptureTests.GpsdReports(capture + ".chk")
            .Where(t => t.GetProperty("mode").GetInt32() >= 2 && t.TryGetProperty("lat", out _))
            .ToList();

        _output.WriteLine($"sounder.log: {fixes.Count} fixes, {tpvs.Count} gpsd fixes; GLL lines parsed {receiver.Count(NmeaResult.Parsed)}, ignored {receiver.Count(NmeaResult.Ignored)}");
        Assert.Equal(122, tpvs.Count);
        Assert.Equal(tpvs.Count, fixes.Count);
        for (int i = 0; i < tpvs.Count; i++)
        {
            Assert.True(fixes[i].Valid, $"fix {i} not valid, gpsd mode {tpvs[i].GetProperty("mode").GetInt32()}");
            Assert.InRange(fixes[i].Latitude - tpvs[i].GetProperty("lat").GetDouble(), -1e-6, 1e-6);
            Assert.InRange(fixes[i].Longitude - tpvs[i].GetProperty("lon").GetDouble(), -1e-6, 1e-6);
            Assert.Equal(-1, fixes[i].UtcMs); // GLL has no date and this receiver sends none (gpsd reports no time either)
        }

        Assert.Equal(122, receiver.Count(NmeaResult.Ignored)); // the $SDDBT depth sentences
    }

    private static void Feed(GnssReceiver receiver, params string[] lines)
    {
        foreach (string line in lines)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(line + "\r\n");
            receiver.Feed(bytes, 0, bytes.Length);
        }
    }
}
