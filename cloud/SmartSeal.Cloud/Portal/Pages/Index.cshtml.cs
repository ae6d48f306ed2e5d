using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal.Pages;

/// <summary>The start page: one tile per thing the user's roles let them do, with the counts that matter.</summary>
public sealed class IndexModel(ApplicationService applications, DeviceRepository devices, AlarmService alarms, UnitAuthority authority) : PageModel
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
            UnitScope scope = await authority.ScopeAsync(User, UnitRight.Keep, cancellationToken);
            var theirs = (await devices.ListAsync(null, null, cancellationToken)).Where(d => !d.Retired && scope.Contains(d.OrgUnit)).ToList();
            DevicesTotal = theirs.Count;
            DevicesOnline = theirs.Count(d => d.Online);
            ActiveAlarms = (await alarms.ListAsync(scope, 500, cancellationToken)).Count(a => a.Active);
        }
    }
}
