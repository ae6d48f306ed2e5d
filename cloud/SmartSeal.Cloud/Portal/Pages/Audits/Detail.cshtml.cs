using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Audits;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Audits;

/// <summary>
/// One audit for its auditor: the checklist (sampled ledger entries linking to the entry, before/after
/// photos side by side, stocktakes) to tick, the findings with their rectification (assign, accept
/// or return the unit's answer), the units' scores, closing, and the report as CSV or PDF.
/// </summary>
public sealed class DetailModel(AuditService audits, AuditReport report, OrgStore org, OrgDirectory directory, PortalPeople people, PortalClock clock, IStringLocalizer<PortalText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public Audit Audit { get; private set; } = null!;

    public IReadOnlyList<UnitScore> Scores { get; private set; } = [];

    /// <summary>Unit names (the audited units, their subtrees and the findings' units).</summary>
    public IReadOnlyDictionary<string, string> UnitNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>The units a finding may name or be assigned to: the audited units and those below.</summary>
    public IReadOnlyList<string> Subtree { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : this.NotFoundPage();

    public async Task<IActionResult> OnPostCheckAsync(long itemId, string? outcome, string? note, CancellationToken cancellationToken) =>
        await OutcomeAsync(await audits.CheckAsync(Id, itemId, new CheckItemRequest(outcome, note), await CallerAsync(cancellationToken), cancellationToken), "Audits.Checked", cancellationToken);

    public async Task<IActionResult> OnPostFindingAsync(long? itemId, string? unitId, string? severity, string? description, CancellationToken cancellationToken) =>
        await OutcomeAsync(await audits.RecordAsync(Id, new RecordFindingRequest(itemId, string.IsNullOrEmpty(unitId) ? null : unitId, severity, description), await CallerAsync(cancellationToken), cancellationToken),
            "Audits.Recorded", cancellationToken);

    public async Task<IActionResult> OnPostAssignAsync(long findingId, string? unitId, string? deadlineDay, CancellationToken cancellationToken) =>
        await OutcomeAsync(await audits.AssignAsync(Id, findingId, new AssignRectificationRequest(unitId, clock.ParseDays(null, deadlineDay).ToMs), await CallerAsync(cancellationToken), cancellationToken),
            "Audits.Assigned", cancellationToken);

    public async Task<IActionResult> OnPostReviewAsync(long findingId, bool accept, string? note, CancellationToken cancellationToken) =>
        await OutcomeAsync(await audits.ReviewAsync(Id, findingId, new ReviewRequest(accept, note), await CallerAsync(cancellationToken), cancellationToken),
            accept ? "Audits.Accepted" : "Audits.Returned", cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken) =>
        await OutcomeAsync(await audits.CloseAsync(Id, await CallerAsync(cancellationToken), cancellationToken), "Audits.ClosedFlash", cancellationToken);

    /// <summary>The report (the API takes bearer tokens only, the portal its cookie): CSV or PDF.</summary>
    public async Task<IActionResult> OnGetReportAsync(string? format, CancellationToken cancellationToken)
    {
        if (await audits.ReadAsync(Id, await CallerAsync(cancellationToken), cancellationToken) is not { } audit)
        {
            return this.NotFoundPage();
        }

        return format == "pdf"
            ? File(await report.PdfAsync(audit, cancellationToken), "application/pdf", $"smartseal-audit-{Id}.pdf")
            : File(await report.CsvAsync(audit, cancellationToken), "text/csv; charset=utf-8", $"smartseal-audit-{Id}.csv");
    }

    public string Unit(string? id) => id is null ? "" : UnitNames.TryGetValue(id, out string? name) ? name : id;

    private Task<AuditCaller> CallerAsync(CancellationToken cancellationToken) => AuditCaller.OfAsync(User, org, cancellationToken);

    private async Task<IActionResult> OutcomeAsync<T>(ChangeResult<T> result, string flashKey, CancellationToken cancellationToken)
    {
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text[flashKey].Value;
            return RedirectToPage(new { id = Id });
        }

        if (!await LoadAsync(cancellationToken))
        {
            return this.NotFoundPage();
        }

        Error = ChangeText.Of(result, text);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await audits.ReadAsync(Id, await CallerAsync(cancellationToken), cancellationToken) is not { } audit)
        {
            return false;
        }

        Audit = audit;
        Scores = audits.Scores(audit);
        Subtree = [.. (await org.SubtreesAsync(audit.UnitIds, cancellationToken)).Order(StringComparer.Ordinal)];
        UnitNames = await directory.UnitNamesAsync(Subtree.Concat(audit.Findings.Select(f => f.UnitId)), cancellationToken);
        await people.LoadAsync(audit.Findings.SelectMany(f => new[] { f.RecordedBy, f.AnsweredBy }).Append(audit.OpenedBy).Concat(audit.Items.Select(i => i.CheckedBy)), cancellationToken);
        return true;
    }
}
