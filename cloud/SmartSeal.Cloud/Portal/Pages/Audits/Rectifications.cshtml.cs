using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Audits;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Audits;

/// <summary>
/// For a unit's keeper or head: the audit findings assigned to their units for rectification, with
/// the deadline, the auditor's note when an answer was returned, and the form to answer.
/// </summary>
public sealed class RectificationsModel(AuditService audits, OrgStore org, OrgDirectory directory, PortalPeople people, IStringLocalizer<PortalText> text) : PageModel
{
    public IReadOnlyList<AuditFinding> Findings { get; private set; } = [];

    public IReadOnlyDictionary<string, string> UnitNames { get; private set; } = new Dictionary<string, string>();

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAnswerAsync(long auditId, long findingId, string? answer, CancellationToken cancellationToken)
    {
        ChangeResult<AuditFinding> result = await audits.AnswerAsync(auditId, findingId, new AnswerRequest(answer), await AuditCaller.OfAsync(User, org, cancellationToken), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["Audits.Answered"].Value;
            return RedirectToPage();
        }

        Error = ChangeText.Of(result, text);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public string Unit(string? id) => id is null ? "" : UnitNames.TryGetValue(id, out string? name) ? name : id;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Findings = await audits.RectificationsAsync(await AuditCaller.OfAsync(User, org, cancellationToken), cancellationToken);
        UnitNames = await directory.UnitNamesAsync(Findings.SelectMany(f => new[] { f.UnitId, f.RectifyUnit! }), cancellationToken);
        await people.LoadAsync(Findings.SelectMany(f => new[] { f.RecordedBy, f.AnsweredBy }), cancellationToken);
    }
}
