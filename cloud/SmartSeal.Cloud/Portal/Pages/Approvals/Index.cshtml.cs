using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Approvals;

/// <summary>
/// The approver's inbox, most pressing first (deadline, urgency, overdue), with batch approval;
/// rows whose current step the applicant urged (督促) say so, and say it live when it happens.
/// </summary>
public sealed class IndexModel(ApplicationService applications, ApplicationUrges urges, PortalPeople people, IStringLocalizer<PortalText> text) : PageModel
{
    public const int PageSize = 50;

    public InboxPage Inbox { get; private set; } = new([], 0, 1, PageSize);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>"{applicationId}:{version}" of each ticked row.</summary>
    [BindProperty]
    public List<string> Selected { get; set; } = [];

    public string? Error { get; private set; }

    /// <summary>The latest urge of each listed application's current step, by application id.</summary>
    public IReadOnlyDictionary<string, UrgeView> Urged { get; private set; } = new Dictionary<string, UrgeView>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Inbox = await applications.InboxAsync(User.Identity!.Name!, PageNumber, PageSize, cancellationToken);
        Urged = await urges.OfCurrentStepsAsync(Inbox.Items.Select(i => i.ApplicationId).Distinct().ToList(), cancellationToken);
        await people.LoadAsync(Inbox.Items.Select(i => i.Applicant), cancellationToken);
    }

    public async Task<IActionResult> OnPostBatchApproveAsync(CancellationToken cancellationToken)
    {
        if (Selected.Count == 0)
        {
            Error = text["Inbox.NothingSelected"];
            await OnGetAsync(cancellationToken);
            return Page();
        }

        int approved = 0;
        var failed = new List<string>();
        foreach (string item in Selected.Distinct())
        {
            string[] parts = item.Split(':', 2);
            long? version = parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
            ChangeResult<ApplicationView> result = await applications.DecideAsync(parts[0], User.Identity!.Name!, Decision.Approve, null, version, cancellationToken);
            if (result.Status == ChangeStatus.Ok)
            {
                approved++;
            }
            else
            {
                failed.Add(parts[0]);
            }
        }

        TempData["Flash"] = failed.Count == 0
            ? text["Inbox.BatchDone", approved].Value
            : text["Inbox.BatchPartly", approved, failed.Count, string.Join(", ", failed)].Value;
        return RedirectToPage();
    }
}
