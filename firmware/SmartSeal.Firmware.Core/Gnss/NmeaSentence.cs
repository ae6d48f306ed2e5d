namespace SmartSeal.Firmware.Gnss
{
    public enum NmeaSentenceKind
    {
        Other = 0,
        Rmc = 1,
        Gga = 2,

        /// <summary>Time and date (used for the date by GGA-only receivers).</summary>
        Zda = 3,

        /// <summary>Geographic position, latitude/longitude, with time and status (no date).</summary>
        Gll = 4,

        /// <summary>Course and speed over ground; no time, so it belongs to the cycle in progress.</summary>
        Vtg = 5,
    }

    /// <summary>
    /// The fields of one RMC, GGA, GLL, VTG or ZDA sentence. One instance is reused for every line (no per-line
    /// allocation); values that the sentence did not carry are NaN / -1.
    /// </summary>
    public class NmeaSentence
    {
        public NmeaSentenceKind Kind;

        /// <summary>Talker id as two ASCII characters, e.g. 'G','N' (multi-GNSS) or 'B','D' (BeiDou).</summary>
        public char Talker1;

        public char Talker2;

        /// <summary>UTC time of day in milliseconds, or -1 when empty.</summary>
        public long TimeOfDayMs;

        /// <summary>RMC or ZDA date, or 0 when absent.</summary>
        public int Year;

        public int Month;

        public int Day;

        /// <summary>RMC or GLL status A (and mode not N), GGA quality above 0, VTG mode not N.</summary>
        public bool Valid;

        public double Latitude;

        public double Longitude;

        /// <summary>GGA fix quality (0 invalid, 1 GNSS, 2 DGNSS, 4 RTK fixed, 5 RTK float, 6 estimated), -1 for RMC.</summary>
        public int Quality;

        public int Satellites;

        public double Hdop;

        /// <summary>Altitude above mean sea level, metres (GGA).</summary>
        public double AltitudeMsl;

        /// <summary>Speed over ground, metres per second (RMC and VTG give knots).</summary>
        public double SpeedMs;

        /// <summary>Course over ground, degrees true.</summary>
        public double CourseDeg;

        public void Clear()
        {
            Kind = NmeaSentenceKind.Other;
            Talker1 = ' ';
            Talker2 = ' ';
            TimeOfDayMs = -1;
            Year = 0;
            Month = 0;
            Day = 0;
            Valid = false;
            Latitude = double.NaN;
            Longitude = double.NaN;
            Quality = -1;
            Satellites = -1;
            Hdop = double.NaN;
            AltitudeMsl = double.NaN;
            SpeedMs = double.NaN;
            CourseDeg = double.NaN;
        }
    }
}
