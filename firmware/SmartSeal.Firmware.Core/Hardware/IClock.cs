namespace SmartSeal.Firmware.Hardware
{
    /// <summary>Time as the firmware sees it.</summary>
    public interface IClock
    {
        /// <summary>Unix time in milliseconds, or 0 while the clock is not set (no GNSS/SNTP time yet).</summary>
        long UtcNowMs { get; }

        /// <summary>Milliseconds since boot; never goes backwards, survives clock corrections.</summary>
        long UptimeMs { get; }
    }
}
