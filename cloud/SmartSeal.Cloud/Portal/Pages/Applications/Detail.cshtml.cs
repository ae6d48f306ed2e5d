using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal.Pages.Applications;

/// <summary>
/// One application: its content, the timeline of its steps (where it stands, who holds it), and
/// what the viewer may do — withdraw or resubmit as applicant, approve / reject / return as the
/// approver who holds it (the service decides who may; the page only offers). Its documents: the
/// applicant uploads them while it is pending or returned; everyone who sees the application sees
/// each one's first page and its PDF, and once approved the approved copy with page codes.
/// </summary>
public sealed class DetailModel(
    ApplicationService applications, ApplicationUrges urges, StepDelegations delegations, PortalClock clock, DocumentService documents, PortalPeople people,
    IStringLocalizer<PortalText> text, ESealingService eSealing, SealedFiles sealedFiles, ESealPreview eSealPreview, ESealPrinting printing) : PageModel
{
    /// <summary>Printed copies of the sealed documents (remote print).</summary>
    public IReadOnlyList<PrintedCopy> Prints { get; private set; } = [];

    /// <summary>The printers the applicant may choose; empty: remote print is off.</summary>
    public IReadOnlyList<string> Printers => printing.Printers;

    /// <summary>At most this many pages of a document are previewed on the page (the PDF link shows the rest).</summary>
    public const int PreviewPages = 30;

    /// <summary>An electronic application's sealings (issue 16), each with its sealed file.</summary>
    public IReadOnlyList<SealingRecord> Sealings { get; private set; } = [];

    /// <summary>The applicant may seal now: approved electronic application, a document, sealings left.</summary>
    public bool MaySeal { get; private set; }

    /// <summary>For the placement editor: each page's size in points and the impression's size in points (only while <see cref="MaySeal"/>).</summary>
    public ESealPreviewView? Preview { get; private set; }

    [BindProperty]
    public string? SealDocument { get; set; }

    [BindProperty]
    public bool EveryPage { get; set; }

    [BindProperty]
    public bool CrossPage { get; set; }

    /// <summary>Dragged impressions, "page:fx:fy;…" (see <see cref="SealPlacementForm"/>).</summary>
    [BindProperty]
    public string? Spots { get; set; }

    public IReadOnlyList<DocumentView> Documents { get; private set; } = [];

    public bool MayUpload => IsApplicant && Application.Status is ApplicationStatus.Pending or ApplicationStatus.Returned;

    public ApplicationView Application { get; private set; } = null!;

    public bool IsApplicant { get; private set; }

    public bool MayDecide { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Urges (督促) and steps handed to colleagues (转办), for the timeline.</summary>
    public IReadOnlyList<UrgeView> Urges { get; private set; } = [];

    public IReadOnlyList<StepDelegationView> Delegations { get; private set; } = [];

    public bool MayUrge { get; private set; }

    /// <summary>The viewer holds the current step themself, so may hand it to a colleague.</summary>
    public bool MayDelegate { get; private set; }

    [BindProperty]
    public string? DelegateTo { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public long Version { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();

    public Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken) => DecideAsync(id, Decision.Approve, cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(string id, CancellationToken cancellationToken) => DecideAsync(id, Decision.Reject, cancellationToken);

    public Task<IActionResult> OnPostReturnAsync(string id, CancellationToken cancellationToken) => DecideAsync(id, Decision.Return, cancellationToken);

    public async Task<IActionResult> OnPostWithdrawAsync(string id, CancellationToken cancellationToken) =>
        await OutcomeAsync(id, await applications.WithdrawAsync(id, User.Identity!.Name!, Version, cancellationToken), "Detail.Withdrawn", cancellationToken);

    public async Task<IActionResult> OnPostResubmitAsync(string id, CancellationToken cancellationToken) =>
        await OutcomeAsync(id, await applications.ResubmitAsync(id, User.Identity!.Name!, null, cancellationToken), "Detail.Resubmitted", cancellationToken);

    public async Task<IActionResult> OnPostUploadAsync(string id, IFormFile? upload, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return this.NotFoundPage();
        }

        if (upload is null || upload.Length == 0)
        {
            Error = text["Docs.NoFile"];
            return Page();
        }

        if (upload.Length > documents.Options.MaxUploadBytes)
        {
            Error = $"{upload.FileName}: > {documents.Options.MaxUploadBytes} bytes";
            return Page();
        }

        using var buffer = new MemoryStream((int)upload.Length);
        await upload.CopyToAsync(buffer, cancellationToken);
        DocumentResult<DocumentView> result = await documents.UploadAsync(id, User.Identity!.Name!, upload.FileName, buffer.ToArray(), cancellationToken);
        if (result.Outcome != DocumentOutcome.Done)
        {
            Error = result.Problem;
            return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
        }

        TempData["Flash"] = text["Docs.Uploaded"].Value;
        return RedirectToPage("/Applications/Detail", new { id });
    }

    /// <summary>A page of a document as a PNG (the approved copy's once approved); not "page": Razor Pages routes by that name.</summary>
    public async Task<IActionResult> OnGetPageImageAsync(string id, string document, int number, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) && await documents.PageImageAsync(id, document, number, cancellationToken) is { Outcome: DocumentOutcome.Done, Value: { } png }
            ? File(png, "image/png")
            : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(string id, string document, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) && await documents.OriginalAsync(id, document, cancellationToken) is { Outcome: DocumentOutcome.Done } found
            ? File(found.Value.Pdf, "application/pdf", found.Value.Name)
            : NotFound();

    public async Task<IActionResult> OnGetApprovedCopyAsync(string id, string document, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) && await documents.ApprovedCopyAsync(id, document, cancellationToken) is { Outcome: DocumentOutcome.Done } copy
            ? File(copy.Value.Pdf, "application/pdf", copy.Value.Name)
            : NotFound();

    /// <summary>Seals the approved document with the application's e-seal (the service checks applicant, approval, window, count, seal, certificate and hash).</summary>
    public async Task<IActionResult> OnPostESealAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return this.NotFoundPage();
        }

        if (Preview is null || Documents.FirstOrDefault(d => d.Id == SealDocument) is not { } document)
        {
            Error = text["ESealing.Refused", MaySeal ? $"no document {SealDocument}" : text["ESealing.NotNow"].Value];
            return Page();
        }

        (global::SmartSeal.Cloud.Seals.Electronic.Pdf.SealPlacement? placement, string? problem) = SealPlacementForm.Parse(EveryPage, CrossPage, Spots, Preview.PageBoxes(document.Id));
        if (placement is null)
        {
            Error = text["ESealing.Refused", problem!];
            return Page();
        }

        SealOutcome outcome = await eSealing.SealAsync(id, new SealRequest(document.Id, placement, null), User.Identity!.Name!, cancellationToken);
        if (outcome.Sealing is null)
        {
            Error = text["ESealing.Refused", outcome.Problem!];
            return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
        }

        TempData["Flash"] = text["ESealing.Sealed", outcome.Sealing.Pages].Value;
        return RedirectToPage("/Applications/Detail", new { id });
    }

    /// <summary>Remote print: numbered copies of a sealing on a chosen printer (the service checks applicant, approval, window and the approved count).</summary>
    public async Task<IActionResult> OnPostPrintAsync(string id, string sealing, int? copies, string? printer, CancellationToken cancellationToken)
    {
        PrintOutcome outcome = await printing.PrintAsync(id, sealing, new PrintRequest(copies, printer), User.Identity!.Name!, cancellationToken);
        if (outcome.Problem is null)
        {
            TempData["Flash"] = text["ESealing.Printed", outcome.Printed.Count, outcome.Printed.Count > 0 ? outcome.Printed[^1].Printer : ""].Value;
            return RedirectToPage("/Applications/Detail", new { id });
        }

        Error = text["ESealing.PrintRefused", outcome.Problem];
        return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
    }

    /// <summary>A sealed file of this application (whoever sees the application sees its sealed files).</summary>
    public async Task<IActionResult> OnGetSealedAsync(string id, string sha256, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) && Sealings.Any(s => s.SealedSha256 == sha256) && await sealedFiles.GetAsync(sha256, cancellationToken) is { } pdf
            ? File(pdf, "application/pdf", $"{Path.GetFileNameWithoutExtension(Documents.FirstOrDefault(d => d.Id == Sealings.First(s => s.SealedSha256 == sha256).DocumentId)?.Name ?? "document")}.sealed.pdf")
            : NotFound();

    /// <summary>The application seal's impression (SVG) for the placement editor.</summary>
    public async Task<IActionResult> OnGetImpressionAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) && await eSealPreview.ImpressionSvgAsync(Application.SealId, cancellationToken) is { } svg
            ? Content(svg, "image/svg+xml")
            : NotFound();

    public async Task<IActionResult> OnPostUrgeAsync(string id, CancellationToken cancellationToken)
    {
        ChangeResult<UrgeView> result = await urges.UrgeAsync(id, User.Identity!.Name!, cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["FollowUp.Urged", string.Join("、", result.Value!.Approvers)].Value;
            return RedirectToPage("/Applications/Detail", new { id });
        }

        Error = ChangeText.Of(result, text);
        return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
    }

    public async Task<IActionResult> OnPostDelegateAsync(string id, CancellationToken cancellationToken)
    {
        ChangeResult<StepDelegationView> result = await delegations.DelegateAsync(id, User.Identity!.Name!, DelegateTo, Comment, cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["FollowUp.Delegated", result.Value!.To].Value;
            return RedirectToPage("/Applications/Detail", new { id });
        }

        Error = ChangeText.Of(result, text);
        return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
    }

    private async Task<IActionResult> DecideAsync(string id, Decision decision, CancellationToken cancellationToken)
    {
        if (decision != Decision.Approve && string.IsNullOrWhiteSpace(Comment))
        {
            Error = text["Detail.ReasonRequired"];
            return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
        }

        ChangeResult<ApplicationView> result = await applications.DecideAsync(id, User.Identity!.Name!, decision, Comment, Version, cancellationToken);
        return await OutcomeAsync(id, result, "Decision.Done." + decision.ToString().ToLowerInvariant(), cancellationToken);
    }

    private async Task<IActionResult> OutcomeAsync(string id, ChangeResult<ApplicationView> result, string flashKey, CancellationToken cancellationToken)
    {
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text[flashKey].Value;
            return RedirectToPage("/Applications/Detail", new { id });
        }

        Error = result.Status switch
        {
            ChangeStatus.Conflict => text["Detail.Conflict"],
            ChangeStatus.Forbidden => text["Detail.Forbidden"],
            ChangeStatus.NotFound => text["Detail.NotFound"],
            _ => result.Problems is { } problems ? string.Join("; ", problems.SelectMany(p => p.Value)) : result.Error,
        };
        return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        string login = User.Identity!.Name!;
        if (await applications.FindAsync(id, CallerScope.Of(User), cancellationToken) is not { } application)
        {
            return false;
        }

        Application = application;
        Version = application.Version;
        IsApplicant = application.Applicant == login;
        bool approver = User.IsInRole(Roles.Approver) || User.IsInRole(Roles.SysAdmin);
        MayDecide = approver && application.Status == ApplicationStatus.Pending && !IsApplicant;
        Documents = await documents.ListAsync(id, cancellationToken);
        Urges = await urges.ListAsync(id, cancellationToken);
        Delegations = await delegations.ListAsync(id, cancellationToken);
        await people.LoadAsync(
            new[] { application.Applicant }.Concat(application.HeldBy).Concat(application.Steps.SelectMany(s => s.Approvers.Concat(s.Decisions.SelectMany(d => new[] { d.Actor, d.Approver }))))
                .Concat(Urges.SelectMany(u => u.Approvers.Append(u.UrgedBy))).Concat(Delegations.SelectMany(d => new[] { d.From, d.To })),
            cancellationToken);
        MayUrge = IsApplicant && urges.MayUrge(application, Urges, clock.NowMs);
        MayDelegate = MayDecide && application.HeldBy.Contains(login);
        if (application.Mode == ApplicationMode.Electronic)
        {
            Sealings = await eSealing.ListAsync(id, cancellationToken);
            Prints = await printing.ListAsync(id, cancellationToken);
            MaySeal = IsApplicant && application.Status == ApplicationStatus.Approved && Documents.Count > 0 && Sealings.Count < application.Stamps;
            Preview = MaySeal ? await eSealPreview.ForAsync(id, application.SealId, Documents, cancellationToken) : null;
        }

        return true;
    }
}
