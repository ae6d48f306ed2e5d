namespace SmartSeal.Firmware.Lock
{
    public class LockSettings
    {
        public LockSettings()
        {
            RelockMs = 15000;
            VerdictTimeoutMs = 10000;
            PhotoTimeoutMs = 5000;
            MaxFixAgeMs = 30000;
            LowBatteryPercent = 15;
            BatteryHysteresisPercent = 5;
            RepeatedRefusals = 5;
            RefusalWindowMs = 600000;
        }

        /// <summary>An unlocked lock closes again after this long without a stamp.</summary>
        public long RelockMs { get; set; }

        /// <summary>How long to wait for the cloud's document verdict.</summary>
        public long VerdictTimeoutMs { get; set; }

        public long PhotoTimeoutMs { get; set; }

        /// <summary>A fix older than this does not count for the geofence.</summary>
        public long MaxFixAgeMs { get; set; }

        /// <summary>At or below this charge the low-battery alarm is raised.</summary>
        public int LowBatteryPercent { get; set; }

        /// <summary>The alarm clears only this far above the threshold, so a sagging cell does not flap.</summary>
        public int BatteryHysteresisPercent { get; set; }

        /// <summary>This many refusals within <see cref="RefusalWindowMs"/> raise repeated-refusals (someone trying their luck).</summary>
        public int RepeatedRefusals { get; set; }

        public long RefusalWindowMs { get; set; }
    }
}
