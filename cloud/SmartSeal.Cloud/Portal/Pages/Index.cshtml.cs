using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal.Pages;

/// <summary>The start page: one tile per thing the user's roles let them do, with the counts that matter.</summary>
public sealed class IndexModel(ApplicationService applications, DeviceRepository devices, PortalQueries queries) : PageModel
{
    public string DisplayName { get; private set; } = "";

    public bool Applicant { get; private set; }

    public bool Approver { get; private set; }

    public bool Keeper { get; private set; }

    public bool Auditor { get; private set; }

    public int MyPending { get; private set; }

    public long InboxTotal { get; private set; }

    public int DevicesOnline { get; private set; }

    public int DevicesTotal { get; private set; }

    public int ActiveAlarms { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        string login = User.Identity!.Name!;
        DisplayName = User.FindFirst(ClaimTypes.GivenName)?.Value ?? login;
        bool admin = User.IsInRole(Roles.SysAdmin);
        Applicant = admin || User.IsInRole(Roles.Applicant);
        Approver = admin || User.IsInRole(Roles.Approver);
        Keeper = admin || User.IsInRole(Roles.Keeper);
        Auditor = Keeper || User.IsInRole(Roles.Auditor);
        if (Applicant)
        {
            MyPending = (await applications.MineAsync(login, cancellationToken)).Count(a => a.Status is ApplicationStatus.Pending or ApplicationStatus.Returned);
        }

        if (Approver)
        {
            InboxTotal = (await applications.InboxAsync(login, 1, 1, cancellationToken)).Total;
        }

        if (Keeper)
        {
            IReadOnlyList<Device> all = await devices.ListAsync(null, null, cancellationToken);
            DevicesTotal = all.Count(d => !d.Retired);
            DevicesOnline = all.Count(d => !d.Retired && d.Online);
            ActiveAlarms = (await queries.AlarmsAsync(500, cancellationToken)).Count(a => a.Active);
        }
    }
}
