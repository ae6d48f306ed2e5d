namespace SmartSeal.Firmware.Gnss
{
    /// <summary>
    /// One reporting cycle of the receiver merged into a fix (RMC + GGA with the same UTC time).
    /// Values the cycle did not carry are NaN / -1.
    /// </summary>
    public class GnssFix
    {
        /// <summary>UTC time in Unix milliseconds, or -1 when no date is known yet (GGA-only before any RMC).</summary>
        public long UtcMs;

        public long TimeOfDayMs;

        /// <summary>True when the receiver reported a usable position for this cycle.</summary>
        public bool Valid;

        public double Latitude;

        public double Longitude;

        /// <summary>GGA quality (0 none, 1 GNSS, 2 DGNSS, 4 RTK fixed, 5 RTK float, 6 estimated), -1 when no GGA.</summary>
        public int Quality;

        public int Satellites;

        public double Hdop;

        public double AltitudeMsl;

        public double SpeedMs;

        public double CourseDeg;

        /// <summary>Estimated horizontal accuracy in metres (see Gnss/README.md), NaN when no position.</summary>
        public double AccuracyM;

        /// <summary>Talker of the first sentence of the cycle ("GN", "BD", ...).</summary>
        public string Talker;
    }
}
