using System.Text;
using System.Text.Json;
using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Firmware.Tests.Gnss;

/// <summary>
/// Feeds every real receiver capture in ../shared/data/nmea through the receive path and compares
/// the fixes with gpsd's own decodings (the TPV reports in NAME.log.chk).
/// </summary>
public class GpsdCaptureTests
{
    /// <summary>
    /// Captures whose gpsd dates differ from what the receiver sent, on purpose: gpsd's regression
    /// harness corrects GPS week-rollover receivers. We report the receiver's date, so only the
    /// time of day is compared there.
    /// </summary>
    private static readonly Dictionary<string, string> DateDeviations = new()
    {
        ["neo-m8n.log"] = "gpsd moves this 2015 capture into 2034 (week-rollover test)",
        ["mtk-3301.log"] = "the receiver sends 1980-01-05 (week rollover); gpsd corrects it to 2008",
    };

    private readonly ITestOutputHelper _output;

    public GpsdCaptureTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        string? dir = Locate();
        if (dir == null)
        {
            data.Add("(missing)");
            return data;
        }

        foreach (string file in Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string? Locate()
    {
        string path = SharedData.PathOf(Path.Combine("data", "nmea"));
        return Directory.Exists(path) ? path : null;
    }

    internal static (List<GnssFix> Fixes, GnssReceiver Receiver) Decode(string logPath)
    {
        var fixes = new List<GnssFix>();
        var receiver = new GnssReceiver(fixes.Add);
        foreach (string line in File.ReadLines(logPath, Encoding.Latin1))
        {
            if (line.StartsWith('#'))
            {
                continue; // gpsd's header comments, not receiver output
            }

            byte[] bytes = Encoding.Latin1.GetBytes(line + "\r\n");
            receiver.Feed(bytes, 0, bytes.Length);
        }

        receiver.Flush();
        return (fixes, receiver);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Fixes_match_gpsd_decodings(string capture)
    {
        string? dir = SharedData.Folder(Path.Combine("data", "nmea"), _output);
        if (dir == null)
        {
            return;
        }

        var (fixes, receiver) = Decode(Path.Combine(dir, capture));
        bool compareDate = !DateDeviations.ContainsKey(capture);
        int compared = 0, speeds = 0, tracks = 0;
        foreach (JsonElement tpv in GpsdReports(Path.Combine(dir, capture + ".chk")))
        {
            if (!tpv.TryGetProperty("time", out JsonElement timeElement) || !tpv.TryGetProperty("lat", out JsonElement latElement)
                || tpv.GetProperty("mode").GetInt32() < 2)
            {
                continue;
            }

            DateTime time = DateTime.Parse(timeElement.GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
            long timeOfDay = (long)time.TimeOfDay.TotalMilliseconds;
            GnssFix? ours = fixes.FirstOrDefault(f => f.TimeOfDayMs == timeOfDay
                && (!compareDate || f.UtcMs < 0 || f.UtcMs == (long)(time - DateTime.UnixEpoch).TotalMilliseconds));
            Assert.True(ours != null, $"{capture}: no fix for gpsd's TPV at {timeElement.GetString()}");
            Assert.True(ours!.Valid, $"{capture}: fix at {timeElement.GetString()} not valid, gpsd mode {tpv.GetProperty("mode").GetInt32()}");
            if (compareDate)
            {
                Assert.Equal((long)(time - DateTime.UnixEpoch).TotalMilliseconds, ours.UtcMs);
            }

            Assert.InRange(ours.Latitude - latElement.GetDouble(), -1e-6, 1e-6);
            Assert.InRange(ours.Longitude - tpv.GetProperty("lon").GetDouble(), -1e-6, 1e-6);
            // gpsd derives speed (and then reports "climb") from the position change when a cycle's
            // speed sentence has not arrived yet; receivers' own speeds are compared, derived ones not.
            bool derived = tpv.TryGetProperty("climb", out _);
            if (!derived && tpv.TryGetProperty("speed", out JsonElement speed) && !double.IsNaN(ours.SpeedMs))
            {
                Assert.True(Math.Abs(ours.SpeedMs - speed.GetDouble()) <= 0.01, $"{capture} {timeElement.GetString()}: speed {ours.SpeedMs} vs gpsd {speed.GetDouble()}");
                speeds++;
            }

            if (!derived && tpv.TryGetProperty("track", out JsonElement track) && !double.IsNaN(ours.CourseDeg))
            {
                Assert.True(Math.Abs(ours.CourseDeg - track.GetDouble()) <= 0.01, $"{capture} {timeElement.GetString()}: track {ours.CourseDeg} vs gpsd {track.GetDouble()}");
                tracks++;
            }

            compared++;
        }

        _output.WriteLine($"{capture}: {fixes.Count} fixes ({fixes.Count(f => f.Valid)} valid), {compared} gpsd fixes compared ({speeds} speeds, {tracks} tracks); "
            + string.Join(", ", Enum.GetValues<NmeaResult>().Select(r => $"{r} {receiver.Count(r)}")));
        Assert.True(fixes.Count > 0 || capture == "(missing)", "no fixes at all");
    }

    internal static IEnumerable<JsonElement> GpsdReports(string chkPath)
    {
        foreach (string line in File.ReadLines(chkPath))
        {
            if (line.StartsWith("{\"class\":\"TPV\"", StringComparison.Ordinal))
            {
                yield return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
    }
}
