using System.Globalization;
using System.Text;

namespace SmartSeal.Simulators.Gnss;

/// <summary>Writes RMC + GGA sentences (GN talker, valid checksums) for a position: GPX tracks and synthetic routes become receiver output.</summary>
public static class NmeaWriter
{
    private const double KnotsPerMs = 1.943844;

    public static string Cycle(DateTime utc, double lat, double lon, double speedMs, double courseDeg, double altitude)
    {
        string time = utc.ToString("HHmmss.ff", CultureInfo.InvariantCulture);
        string date = utc.ToString("ddMMyy", CultureInfo.InvariantCulture);
        (string latText, char ns) = Angle(lat, 2, 'N', 'S');
        (string lonText, char ew) = Angle(lon, 3, 'E', 'W');
        string rmc = string.Create(CultureInfo.InvariantCulture, $"GNRMC,{time},A,{latText},{ns},{lonText},{ew},{speedMs * KnotsPerMs:0.00},{courseDeg:0.00},{date},,,A");
        string gga = string.Create(CultureInfo.InvariantCulture, $"GNGGA,{time},{latText},{ns},{lonText},{ew},1,12,0.8,{altitude:0.0},M,0.0,M,,");
        return Sentence(rmc) + Sentence(gga);
    }

    private static string Sentence(string body)
    {
        byte checksum = 0;
        foreach (char c in body)
        {
            checksum ^= (byte)c;
        }

        return "$" + body + "*" + checksum.ToString("X2", CultureInfo.InvariantCulture) + "\r\n";
    }

    private static (string Text, char Hemisphere) Angle(double degrees, int degreeDigits, char positive, char negative)
    {
        double abs = Math.Abs(degrees);
        int whole = (int)abs;
        double minutes = (abs - whole) * 60;
        if (minutes >= 59.999995)
        {
            whole++;
            minutes = 0;
        }

        var text = new StringBuilder();
        text.Append(whole.ToString(new string('0', degreeDigits), CultureInfo.InvariantCulture));
        text.Append(minutes.ToString("00.00000", CultureInfo.InvariantCulture));
        return (text.ToString(), degrees < 0 ? negative : positive);
    }
}
