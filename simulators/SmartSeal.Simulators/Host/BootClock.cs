using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// The clock one boot of a simulated device sees: the same UTC time as the host (or scenario)
/// clock, and an uptime that starts at 0 at power-on, as on the real board.
/// </summary>
public sealed class BootClock : IClock
{
    private readonly IClock _source;
    private readonly long _bootUptimeMs;

    public BootClock(IClock source)
    {
        _source = source;
        _bootUptimeMs = source.UptimeMs;
    }

    public long UtcNowMs => _source.UtcNowMs;

    public long UptimeMs => _source.UptimeMs - _bootUptimeMs;
}
