using SmartSeal.Firmware.Hardware;
using SmartSeal.Simulators.Host;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The host's clock with the calendar moved forward by hand: a scenario ends a token's window by
/// <see cref="Shift"/> instead of waiting for it. Uptime is left alone, so the firmware's own
/// timeouts (bolt, photo, link) run at their real pace.
/// </summary>
public sealed class ShiftedClock : IClock
{
    private readonly HostClock _host = new();
    private long _offsetMs;

    public long UtcNowMs => _host.UtcNowMs + Interlocked.Read(ref _offsetMs);

    public long UptimeMs => _host.UptimeMs;

    /// <summary>Moves the calendar forward; it never goes back.</summary>
    public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetMs, (long)by.TotalMilliseconds);
}
