using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal.Pages.Applications;

/// <summary>
/// One application: its content, the timeline of its steps (where it stands, who holds it), and
/// what the viewer may do — withdraw or resubmit as applicant, approve / reject / return as the
/// approver who holds it (the service decides who may; the page only offers).
/// </summary>
public sealed class DetailModel(ApplicationService applications, ApplicationUrges urges, StepDelegations delegations, PortalClock clock, IStringLocalizer<PortalText> text) : PageModel
{
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
        Urges = await urges.ListAsync(id, cancellationToken);
        Delegations = await delegations.ListAsync(id, cancellationToken);
        MayUrge = IsApplicant && urges.MayUrge(application, Urges, clock.NowMs);
        MayDelegate = MayDecide && application.HeldBy.Contains(login);
        return true;
    }
}
