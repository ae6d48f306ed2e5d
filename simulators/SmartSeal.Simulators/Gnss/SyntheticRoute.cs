using System.Text;

namespace SmartSeal.Simulators.Gnss;

/// <summary>
/// Receiver output for a lock carried around a circle (walking pace, pauses every other minute)
/// with the host's UTC time: endless, so fleets can run for hours; each device gets its own centre.
/// </summary>
public sealed class SyntheticRoute : IGnssSource
{
    private const double MetresPerDegree = 111_320;
    private readonly double _lat;
    private readonly double _lon;
    private readonly double _radiusM;
    private readonly Func<long> _utcNowMs;
    private long _lastSecond = -1;

    public SyntheticRoute(double centreLat, double centreLon, double radiusM, Func<long> utcNowMs)
    {
        _lat = centreLat;
        _lon = centreLon;
        _radiusM = radiusM;
        _utcNowMs = utcNowMs;
    }

    /// <summary>A centre for device <paramref name="index"/>, spread over a few kilometres around Shanghai.</summary>
    public static SyntheticRoute ForDevice(int index, Func<long> utcNowMs)
    {
        var random = new Random(index);
        return new SyntheticRoute(31.2304 + ((random.NextDouble() - 0.5) * 0.1), 121.4737 + ((random.NextDouble() - 0.5) * 0.1), 200, utcNowMs);
    }

    public void ReadDue(long worldMs, Action<byte[]> sink)
    {
        long utcMs = _utcNowMs();
        long second = utcMs / 1000;
        if (second == _lastSecond)
        {
            return;
        }

        _lastSecond = second;
        bool walking = second / 60 % 2 == 0;
        double speed = walking ? 1.4 : 0;
        double angle = (second % 3600) * 1.4 / _radiusM;
        double north = Math.Cos(angle) * _radiusM;
        double east = Math.Sin(angle) * _radiusM;
        double lat = _lat + (north / MetresPerDegree);
        double lon = _lon + (east / (MetresPerDegree * Math.Cos(_lat * Math.PI / 180)));
        double course = ((angle * 180 / Math.PI) + 90) % 360;
        DateTime utc = DateTimeOffset.FromUnixTimeMilliseconds(second * 1000).UtcDateTime;
        sink(Encoding.ASCII.GetBytes(NmeaWriter.Cycle(utc, lat, lon, speed, course, 4)));
    }
}
