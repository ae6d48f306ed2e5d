using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Audits;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Audits;

/// <summary>The auditor's audits (<see cref="AuditService"/>): the list, newest first, and the form that opens one for a period and units.</summary>
public sealed class IndexModel(AuditService audits, OrgStore org, PortalClock clock, IStringLocalizer<PortalText> text) : PageModel
{
    public IReadOnlyList<Audit> Audits { get; private set; } = [];

    /// <summary>The units the caller audits (each with its subtree), to choose from.</summary>
    public IReadOnlyList<OrgUnit> Units { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostOpenAsync(string? title, string? fromDay, string? toDay, string[]? unitIds, CancellationToken cancellationToken)
    {
        (long? from, long? to) = clock.ParseDays(fromDay, toDay);
        ChangeResult<Audit> result = await audits.OpenAsync(new OpenAuditRequest(title, from, to, unitIds, null), await AuditCaller.OfAsync(User, org, cancellationToken), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["Audits.Opened", result.Value!.Id, result.Value.Items.Count].Value;
            return RedirectToPage("Detail", new { id = result.Value.Id });
        }

        Error = ChangeText.Of(result, text);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        AuditCaller caller = await AuditCaller.OfAsync(User, org, cancellationToken);
        Audits = await audits.ListAsync(caller, cancellationToken);
        Units = (await org.ListUnitsAsync(cancellationToken)).Where(u => caller.Audits([u.Id])).ToList();
    }
}
