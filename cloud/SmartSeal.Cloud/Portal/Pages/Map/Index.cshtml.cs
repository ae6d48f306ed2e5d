using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Map;

/// <summary>
/// Portable locks on a map: every lock's last fix, and for the chosen lock its track over the last
/// hours and the geofence it works under; new positions arrive live. The positions table below the
/// map says the same in text (screen readers, no-script, no tiles).
/// </summary>
public sealed class IndexModel(DeviceRepository devices, PositionStore positions, SealDirectory seals, ApplicationDirectory applications, LedgerReader ledger, PortalClock clock) : PageModel
{
    public const int MaxHours = 24 * 31;

    public IReadOnlyList<Device> Locks { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Device { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Hours { get; set; } = 24;

    public IReadOnlyList<MapPoint> Track { get; private set; } = [];

    public LockFence? Fence { get; private set; }

    /// <summary>Stamps and refusals of the chosen lock over the same hours, where they happened (the replay marks them).</summary>
    public IReadOnlyList<LocatedEvent> Events { get; private set; } = [];

    /// <summary>What the map script draws (degrees; times Unix ms).</summary>
    public string MapJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Hours = Math.Clamp(Hours, 1, MaxHours);
        Locks = (await devices.ListAsync(DeviceKind.Lock, null, cancellationToken)).Where(d => !d.Retired).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        if (Device is { } id && Locks.Any(l => l.Id == id))
        {
            Track = await positions.TrackAsync(id, clock.NowMs - (Hours * 3_600_000L), cancellationToken);
            Fence = await applications.LockFenceAsync(await seals.HeldByLockAsync(id, cancellationToken), cancellationToken);
            Events = await ledger.LocatedEventsAsync(id, clock.NowMs - (Hours * 3_600_000L), cancellationToken);
        }
        else
        {
            Device = null;
        }

        MapJson = JsonSerializer.Serialize(new
        {
            device = Device,
            locks = Locks.Where(l => l.LastLatE7 is not null && l.LastLonE7 is not null)
                .Select(l => new { id = l.Id, lat = l.LastLatE7!.Value / 1e7, lon = l.LastLonE7!.Value / 1e7, online = l.Online }),
            track = Track.Select(p => new[] { p.Lat, p.Lon }),
            times = Track.Select(p => p.DeviceMs),
            labels = Track.Select(p => clock.FormatSeconds(p.DeviceMs)),
            events = Events.Select(e => new { kind = e.Kind, lat = e.Lat, lon = e.Lon, atMs = e.AtMs, label = clock.FormatSeconds(e.AtMs) + " " + e.SealId }),
            fence = Fence?.Limit is { } limit ? FenceJson(limit) : null,
        });
    }

    private static object? FenceJson(LocationLimit limit) => limit.Circle is { } c
        ? new { circle = new { lat = c.Lat, lon = c.Lon, radiusM = c.RadiusM } }
        : limit.Polygon is { } p ? new { polygon = p.Select(x => new[] { x.Lat, x.Lon }) } : null;
}
