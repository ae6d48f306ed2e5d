using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Portal.Pages.Alarms;

/// <summary>Alarms, active first, refreshed live from the event stream; acknowledge (take note) and clear.</summary>
public sealed class IndexModel(AlarmService alarms, UnitAuthority authority, IStringLocalizer<PortalText> text) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<AlarmRecord> Items { get; private set; } = [];

    [BindProperty]
    public string? Comment { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = await alarms.ListAsync(await authority.ScopeAsync(User, UnitRight.Keep, cancellationToken), Shown, cancellationToken);

    /// <summary>The table body alone, for the page's script to refresh on a live <c>alarm</c> event.</summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        return Partial("_AlarmRows", this);
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken cancellationToken)
    {
        if (!await MayKeepAsync(id, cancellationToken))
        {
            return this.NotFoundPage();
        }

        (AlarmActionResult result, _) = await alarms.AcknowledgeAsync(id, User.Identity!.Name!, Comment, cancellationToken);
        TempData["Flash"] = text[result == AlarmActionResult.Done ? "Alarms.Acknowledged" : "Alarms.NotChanged"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostClearAsync(long id, CancellationToken cancellationToken)
    {
        if (!await MayKeepAsync(id, cancellationToken))
        {
            return this.NotFoundPage();
        }

        (AlarmActionResult result, _) = await alarms.ClearByIdAsync(id, User.Identity!.Name!, Comment, cancellationToken);
        TempData["Flash"] = text[result == AlarmActionResult.Done ? "Alarms.Cleared" : "Alarms.NotChanged"].Value;
        return RedirectToPage();
    }

    /// <summary>Another unit's alarm (or an unassigned device's, for a keeper) is not found, as in the API.</summary>
    private Task<bool> MayKeepAsync(long id, CancellationToken cancellationToken) =>
        authority.CanAsync(User, UnitRight.Keep, ObjectKind.Alarm, id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
}
