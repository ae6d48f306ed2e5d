namespace SmartSeal.Firmware.Gnss
{
    /// <summary>Tuning of <see cref="PositionReporter"/>; the defaults suit a person carrying the lock or a car.</summary>
    public class PositionReporterSettings
    {
        public PositionReporterSettings()
        {
            MovingIntervalMs = 30000;
            IdleIntervalMs = 300000;
            MovingSpeedMs = 1.0;
            MovingDistanceM = 50;
            MaxSpeedMs = 70;
            MaxAccuracyM = 100;
            JumpConfirmations = 3;
        }

        /// <summary>Report interval while moving.</summary>
        public long MovingIntervalMs { get; set; }

        /// <summary>Report interval while stationary.</summary>
        public long IdleIntervalMs { get; set; }

        /// <summary>Speed above which the lock counts as moving (below half of it: stationary again).</summary>
        public double MovingSpeedMs { get; set; }

        /// <summary>Distance from the last report above which the lock counts as moving.</summary>
        public double MovingDistanceM { get; set; }

        /// <summary>Fastest plausible travel between fixes; faster implies a jump.</summary>
        public double MaxSpeedMs { get; set; }

        /// <summary>Fixes with a worse accuracy estimate are not used.</summary>
        public double MaxAccuracyM { get; set; }

        /// <summary>Consecutive consistent fixes at a new place before a jump is believed.</summary>
        public int JumpConfirmations { get; set; }
    }
}
