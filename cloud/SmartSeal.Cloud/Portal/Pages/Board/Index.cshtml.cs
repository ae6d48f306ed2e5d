using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal.Pages.Board;

/// <summary>
/// The seal attendance board (印章出勤看板): every seal of the keeper's units — where it is, who
/// holds it, since and until when, overdue in red (<see cref="SealBoard"/>). A live
/// <c>seal-location</c> event makes the page fetch its rows again (<c>?handler=Rows</c>), so what
/// it shows is always read within the viewer's own scope, whatever the event feed carries.
/// </summary>
public sealed class IndexModel(SealBoard board) : PageModel
{
    public IReadOnlyList<SealBoardRow> Rows { get; private set; } = [];

    public int OutCount => Rows.Count(r => r.Out);

    public int OverdueCount => Rows.Count(r => r.Overdue);

    /// <summary>The viewer keeps no seals: the board lists the seals they may apply for (issue 17 item 9), read-only.</summary>
    public bool ApplicantView => !User.IsInRole(Roles.Keeper) && !User.IsInRole(Roles.SysAdmin);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Rows = ApplicantView
            ? await board.ApplicableAsync(User.Identity!.Name!, cancellationToken)
            : await board.ReadAsync(CallerScope.Of(User), null, null, cancellationToken);

    /// <summary>The table body and the summary, for the page's script after a live event.</summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        return Partial("_BoardRows", this);
    }

    /// <summary>The key of the place's text: cabinet, lock, person or unknown.</summary>
    public static string PlaceKey(SealBoardRow row) => "Board.Place." + (row.LocationKind is "cabinet" or "lock" or "person" ? row.LocationKind : "unknown");
}
