using System.Globalization;
using System.Text;
using System.Xml.Linq;
using SmartSeal.Protocol.Geo;

namespace SmartSeal.Simulators.Gnss;

/// <summary>Turns a GPX track (trkpt with lat/lon, optional ele and time) into receiver output.</summary>
public static class GpxTrack
{
    public static NmeaTrack Load(string path, DateTime? startUtc = null)
    {
        XDocument doc = XDocument.Load(path);
        var points = doc.Descendants().Where(e => e.Name.LocalName is "trkpt" or "rtept").Select(e => new
        {
            Lat = double.Parse(e.Attribute("lat")!.Value, CultureInfo.InvariantCulture),
            Lon = double.Parse(e.Attribute("lon")!.Value, CultureInfo.InvariantCulture),
            Ele = double.TryParse(e.Elements().FirstOrDefault(x => x.Name.LocalName == "ele")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ele) ? ele : 0,
            Time = DateTime.TryParse(e.Elements().FirstOrDefault(x => x.Name.LocalName == "time")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t) ? t : (DateTime?)null,
        }).ToList();
        if (points.Count == 0)
        {
            throw new FormatException($"{path} has no trkpt or rtept");
        }

        // Points without times are spaced one second apart.
        DateTime origin = startUtc ?? points[0].Time ?? DateTime.UtcNow;
        var cycles = new List<NmeaCycle>();
        DateTime? firstTime = points[0].Time;
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            DateTime time = p.Time.HasValue && firstTime.HasValue ? origin + (p.Time.Value - firstTime.Value) : origin.AddSeconds(i);
            double speed = 0;
            double course = 0;
            if (i > 0)
            {
                var q = points[i - 1];
                DateTime previous = q.Time.HasValue && firstTime.HasValue ? origin + (q.Time.Value - firstTime.Value) : origin.AddSeconds(i - 1);
                double seconds = Math.Max((time - previous).TotalSeconds, 0.001);
                speed = GeoMath.DistanceMetres(q.Lat, q.Lon, p.Lat, p.Lon) / seconds;
                course = Bearing(q.Lat, q.Lon, p.Lat, p.Lon);
            }

            long offset = (long)(time - origin).TotalMilliseconds;
            cycles.Add(new NmeaCycle(offset, Encoding.ASCII.GetBytes(NmeaWriter.Cycle(time, p.Lat, p.Lon, speed, course, p.Ele))));
        }

        return new NmeaTrack(cycles);
    }

    private static double Bearing(double lat1, double lon1, double lat2, double lon2)
    {
        double f1 = lat1 * Math.PI / 180;
        double f2 = lat2 * Math.PI / 180;
        double dl = (lon2 - lon1) * Math.PI / 180;
        double y = Math.Sin(dl) * Math.Cos(f2);
        double x = (Math.Cos(f1) * Math.Sin(f2)) - (Math.Sin(f1) * Math.Cos(f2) * Math.Cos(dl));
        return ((Math.Atan2(y, x) * 180 / Math.PI) + 360) % 360;
    }
}
