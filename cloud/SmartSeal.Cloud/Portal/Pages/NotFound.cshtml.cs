using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartSeal.Cloud.Portal.Pages;

/// <summary>
/// The page behind a portal error status without a body: keeps the original status (404 for an unknown address,
/// 400 for a refused form...) and says it in the user's language. Asked for directly, it is an ordinary page.
/// </summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class NotFoundModel : PageModel
{
    public int Status { get; private set; } = StatusCodes.Status200OK;

    public void OnGet() => Keep();

    public void OnPost() => Keep();

    private void Keep()
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } original)
        {
            Status = original.OriginalStatusCode;
            Response.StatusCode = Status;
        }
    }
}
