using System.Diagnostics;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Simulators.Host;

/// <summary>The host's real time: wall clock for UTC, a monotonic stopwatch for uptime.</summary>
public sealed class HostClock : IClock
{
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

    public long UtcNowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public long UptimeMs => _sinceStart.ElapsedMilliseconds;
}
