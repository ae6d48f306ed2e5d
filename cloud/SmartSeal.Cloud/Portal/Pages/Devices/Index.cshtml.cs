using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Portal.Pages.Devices;

/// <summary>Cabinets, locks and gates of the keeper's units: presence, battery, firmware, compartments and whether they are enabled.</summary>
public sealed class IndexModel(DeviceRepository devices, DesiredStateService states, UnitAuthority authority) : PageModel
{
    public sealed record Row(Device Device, DesiredStateRecord? State);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        UnitScope scope = await authority.ScopeAsync(User, UnitRight.Keep, cancellationToken);
        foreach (Device device in (await devices.ListAsync(null, null, cancellationToken)).Where(d => !d.Retired && scope.Contains(d.OrgUnit)).OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            rows.Add(new Row(device, await states.FindAsync(device.Id, cancellationToken)));
        }

        Rows = rows;
    }
}
