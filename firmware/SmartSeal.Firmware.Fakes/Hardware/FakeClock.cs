namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>A clock the test or simulator moves by hand.</summary>
    public class FakeClock : IClock
    {
        public FakeClock(long utcNowMs)
        {
            UtcNowMs = utcNowMs;
        }

        public long UtcNowMs { get; set; }

        public long UptimeMs { get; set; }

        /// <summary>Moves both clocks forward (a clock that is not set stays unset).</summary>
        public void Advance(long milliseconds)
        {
            UptimeMs += milliseconds;
            if (UtcNowMs > 0)
            {
                UtcNowMs += milliseconds;
            }
        }
    }
}
