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

        /// <summary>The fix in the protocol's integer units, or null when it has no position.</summary>
        public SmartSeal.Protocol.Messages.GeoFix ToWire()
        {
            if (double.IsNaN(Latitude))
            {
                return null;
            }

            SmartSeal.Protocol.Messages.GeoFix wire = new SmartSeal.Protocol.Messages.GeoFix();
            wire.TimeMs = UtcMs < 0 ? 0 : UtcMs;
            wire.LatE7 = SmartSeal.Protocol.Geo.GeoFence.ToE7(Latitude);
            wire.LonE7 = SmartSeal.Protocol.Geo.GeoFence.ToE7(Longitude);
            wire.AccuracyCm = double.IsNaN(AccuracyM) ? 0 : (int)(AccuracyM * 100);
            wire.AltitudeCm = double.IsNaN(AltitudeMsl) ? 0 : (int)(AltitudeMsl * 100);
            wire.SpeedCmS = double.IsNaN(SpeedMs) ? 0 : (int)(SpeedMs * 100);
            wire.CourseCdeg = double.IsNaN(CourseDeg) ? 0 : (int)(CourseDeg * 100) % 36000;
            wire.Satellites = Satellites < 0 ? 0 : Satellites;
            wire.Quality = Quality < 0 ? 0 : Quality;
            return wire;
        }
    }
}
