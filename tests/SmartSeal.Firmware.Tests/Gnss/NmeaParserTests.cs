using System.Text;
using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Firmware.Tests.Gnss;

public class NmeaParserTests
{
    private const string Rmc = "$GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30,4.94,250215,,,A*76";
    private const string Gga = "$GNGGA,074156.799,3114.8950,N,12135.2442,E,1,07,1.1,190.7,M,8.3,M,,0000,1.8*7B";

    internal static (NmeaResult Result, NmeaSentence Sentence) Parse(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        var sentence = new NmeaSentence();
        return (new NmeaParser().Parse(bytes, 0, bytes.Length, sentence), sentence);
    }

    /// <summary>Recomputes the checksum so a test can change a field and still be well-formed.</summary>
    internal static string WithChecksum(string body)
    {
        int sum = 0;
        foreach (char c in body[1..])
        {
            sum ^= c;
        }

        return $"{body}*{sum:X2}";
    }

    [Fact]
    public void Parses_rmc_from_a_beidou_capable_receiver()
    {
        var (result, s) = Parse(Rmc);
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(NmeaSentenceKind.Rmc, s.Kind);
        Assert.Equal(('G', 'N'), (s.Talker1, s.Talker2));
        Assert.Equal(((7 * 3600) + (41 * 60) + 55) * 1000 + 799, s.TimeOfDayMs);
        Assert.Equal((2015, 2, 25), (s.Year, s.Month, s.Day));
        Assert.True(s.Valid);
        Assert.Equal(31 + (14.8770 / 60), s.Latitude, 9);
        Assert.Equal(121 + (35.2463 / 60), s.Longitude, 9);
        Assert.Equal(0.30 * 1852 / 3600, s.SpeedMs, 9);
        Assert.Equal(4.94, s.CourseDeg, 9);
    }

    [Fact]
    public void Parses_gga_with_quality_satellites_hdop_and_altitude()
    {
        var (result, s) = Parse(Gga);
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal((1, 7), (s.Quality, s.Satellites));
        Assert.Equal(1.1, s.Hdop, 9);
        Assert.Equal(190.7, s.AltitudeMsl, 9);
        Assert.True(s.Valid);
    }

    [Theory]
    [InlineData("$GBGGA,000001.00,3000.0000,S,12000.0000,W,1,05,1.0,10.0,M,,M,,")]
    [InlineData("$BDGGA,000001.00,3000.0000,S,12000.0000,W,1,05,1.0,10.0,M,,M,,")]
    [InlineData("$GAGGA,000001.00,3000.0000,S,12000.0000,W,1,05,1.0,10.0,M,,M,,")]
    [InlineData("$GLGGA,000001.00,3000.0000,S,12000.0000,W,1,05,1.0,10.0,M,,M,,")]
    public void Every_constellation_talker_is_accepted_and_hemispheres_sign_the_position(string body)
    {
        var (result, s) = Parse(WithChecksum(body));
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(-30.0, s.Latitude, 9);
        Assert.Equal(-120.0, s.Longitude, 9);
    }

    [Theory]
    [InlineData("$GPRMC,205150.00,V,,,,,,,,,,,V*4a", false)] // status V, empty position
    [InlineData("$GPGGA,,,,,,0,,,,M,,M,,*66", false)] // quality 0
    public void Invalid_fixes_parse_but_are_not_valid(string line, bool valid)
    {
        var (result, s) = Parse(line);
        Assert.Equal(NmeaResult.Parsed, result);
        Assert.Equal(valid, s.Valid);
        Assert.True(double.IsNaN(s.Latitude));
    }

    [Fact]
    public void Rmc_with_mode_n_is_not_a_fix_even_with_status_a()
    {
        var (_, s) = Parse(WithChecksum("$GPRMC,120000.00,A,3000.0000,N,12000.0000,E,0.0,0.0,010126,,,N"));
        Assert.False(s.Valid);
    }

    [Theory]
    [InlineData("$GPGSV,3,1,10,66,37,078,27*6E")]
    [InlineData("$PSRFEPE,074156.799,A,1.1,64.94,58.97,0.2,180.0*1B")]
    [InlineData("$GNGSA,A,3,10,16,26,,,,,,,,,,1.9,1.1,1.5*2E")]
    public void Other_sentences_are_ignored_not_errors(string line)
    {
        string fixedLine = line.StartsWith("$P") ? line : WithChecksum(line[..line.IndexOf('*')]);
        Assert.Equal(NmeaResult.Ignored, Parse(fixedLine).Result);
    }

    [Theory]
    [InlineData(Rmc, 20, '9', NmeaResult.BadChecksum)]
    [InlineData(Rmc, 67, '7', NmeaResult.BadChecksum)]
    public void A_changed_byte_fails_the_checksum(string line, int position, char replacement, NmeaResult expected)
    {
        string changed = line[..position] + replacement + line[(position + 1)..];
        Assert.Equal(expected, Parse(changed).Result);
    }

    [Theory]
    [InlineData("$GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30,4.94,250215,,,A", NmeaResult.NoChecksum)]
    [InlineData("GNRMC,074155.799,A*00", NmeaResult.Malformed)]
    [InlineData("$GN", NmeaResult.Malformed)]
    [InlineData("$GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30*7", NmeaResult.Malformed)]
    [InlineData("$GNRMC,074155.799,A,3114.8770*XY", NmeaResult.Malformed)]
    [InlineData("\u0001\u00ff$GPGGA*00", NmeaResult.Malformed)]
    public void Broken_lines_get_a_specific_result(string line, NmeaResult expected)
    {
        Assert.Equal(expected, Parse(line).Result);
    }

    [Theory]
    [InlineData("$GPRMC,120000.00,A,9100.0000,N,12000.0000,E,0.0,0.0,010126,,,A")] // latitude 91°
    [InlineData("$GPRMC,120000.00,A,8960.0000,N,12000.0000,E,0.0,0.0,010126,,,A")] // 60 minutes (a real MTK placeholder)
    [InlineData("$GPRMC,120000.00,A,3000.0000,N,18100.0000,E,0.0,0.0,010126,,,A")] // longitude 181°
    [InlineData("$GPRMC,250000.00,A,3000.0000,N,12000.0000,E,0.0,0.0,010126,,,A")] // hour 25
    [InlineData("$GPRMC,120000.00,A,3000.0000,N,12000.0000,E,0.0,0.0,011326,,,A")] // month 13
    [InlineData("$GPRMC,120000.00,A,3000.0000,N,12000.0000,E,0.0,0.0,300226,,,A")] // 30 February
    [InlineData("$GPRMC,120000.00,A,3000.0000,N,12000.0000,E,-1.0,0.0,010126,,,A")] // negative speed
    [InlineData("$GPRMC,120000.00,A,3000.0000,N,12000.0000,E,0.0,361.0,010126,,,A")] // course 361
    [InlineData("$GPGGA,120000.00,3000.0000,N,12000.0000,E,12,05,1.0,10.0,M,,M,,")] // quality 12
    public void Impossible_values_are_refused(string body)
    {
        Assert.Equal(NmeaResult.ImpossibleValue, Parse(WithChecksum(body)).Result);
    }

    [Fact]
    public void Receive_path_handles_any_chunking_noise_and_overlong_lines()
    {
        string stream = "\u0000\u00ff garbage\r\n" + Rmc + "\r\n" + Gga + "\r\n$GPGSV," + new string('9', 300) + "*00\r\n" + "r" + Rmc.Replace("074155", "074157").Replace("*76", "*74") + "\r\n";
        byte[] bytes = Encoding.Latin1.GetBytes(stream);

        List<GnssFix> reference = null!;
        for (int chunk = 1; chunk <= bytes.Length; chunk++)
        {
            var fixes = new List<GnssFix>();
            var receiver = new GnssReceiver(fixes.Add);
            for (int offset = 0; offset < bytes.Length; offset += chunk)
            {
                receiver.Feed(bytes, offset, Math.Min(chunk, bytes.Length - offset));
            }

            receiver.Flush();
            Assert.Equal(1, receiver.Count(NmeaResult.Overlong));
            Assert.Equal(3, receiver.Count(NmeaResult.Parsed));
            Assert.Equal(2, receiver.Count(NmeaResult.Malformed)); // the noise line and the stray 'r'
            reference ??= fixes;
            Assert.Equal(reference.Select(f => (f.TimeOfDayMs, f.Latitude, f.Valid)), fixes.Select(f => (f.TimeOfDayMs, f.Latitude, f.Valid)));
        }

        Assert.Equal(3, reference.Count);
    }

    [Fact]
    public void A_cycle_merges_rmc_and_gga_and_gga_only_cycles_get_the_last_date()
    {
        var fixes = new List<GnssFix>();
        var receiver = new GnssReceiver(fixes.Add);
        string text = WithChecksum("$GNRMC,120000.00,A,3000.0000,N,12000.0000,E,10.0,90.0,010126,,,A") + "\r\n"
            + WithChecksum("$GNGGA,120000.00,3000.0000,N,12000.0000,E,1,09,0.9,50.0,M,,M,,") + "\r\n"
            + WithChecksum("$GNGGA,120001.00,3000.0010,N,12000.0000,E,1,09,0.9,50.0,M,,M,,") + "\r\n";
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        receiver.Feed(bytes, 0, bytes.Length);
        receiver.Flush();

        Assert.Equal(2, fixes.Count);
        GnssFix first = fixes[0];
        Assert.True(first.Valid);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), first.UtcMs);
        Assert.Equal(10.0 * 1852 / 3600, first.SpeedMs, 9);
        Assert.Equal((9, 0.9, 50.0), (first.Satellites, first.Hdop, first.AltitudeMsl));
        Assert.Equal(0.9 * GnssFixBuilder.UereMetres, first.AccuracyM, 9);
        Assert.Equal(first.UtcMs + 1000, fixes[1].UtcMs);
        Assert.True(double.IsNaN(fixes[1].SpeedMs));
    }

    [Theory]
    [InlineData(1970, 1, 1, 0)]
    [InlineData(2000, 3, 1, 11017)]
    [InlineData(2026, 11, 24, 20781)]
    [InlineData(2100, 2, 28, 47540)]
    public void Day_numbers_match_the_framework(int year, int month, int day, long expected)
    {
        Assert.Equal(expected, GnssFixBuilder.DaysSinceUnixEpoch(year, month, day));
        Assert.Equal((long)(new DateTime(year, month, day) - DateTime.UnixEpoch).TotalDays, GnssFixBuilder.DaysSinceUnixEpoch(year, month, day));
    }
}
