using System;
using nanoFramework.Runtime.Native;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Time
{
    /// <summary>
    /// Wall time from the ESP32's system clock once SNTP or a GNSS fix has set it, 0 before (the
    /// RTC starts in 1970 after a cold boot, so anything before <see cref="EarliestValidUnixMs"/>
    /// counts as unset); uptime from the monotonic tick counter.
    /// </summary>
    public class DeviceClock : IClock
    {
        /// <summary>2024-01-01T00:00:00Z: no correctly set clock is earlier than the firmware.</summary>
        public const long EarliestValidUnixMs = 1704067200000;

        private const long UnixEpochTicks = 621355968000000000;

        public long UtcNowMs
        {
            get
            {
                long ms = (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
                return ms >= EarliestValidUnixMs ? ms : 0;
            }
        }

        public long UptimeMs
        {
            get { return Environment.TickCount64; }
        }

        /// <summary>Sets the system clock from a GNSS fix's UTC time when the clock is still unset (SNTP wins when both exist).</summary>
        public bool SetFromGnss(long utcMs)
        {
            if (UtcNowMs != 0 || utcMs < EarliestValidUnixMs)
            {
                return false;
            }

            return Rtc.SetSystemTime(new DateTime(UnixEpochTicks + (utcMs * TimeSpan.TicksPerMillisecond)));
        }
    }
}
