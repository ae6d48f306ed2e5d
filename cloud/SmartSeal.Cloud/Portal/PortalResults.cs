using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartSeal.Cloud.Portal;

public static class PortalResults
{
    /// <summary>404 with a page in the user's language (the host's status-code handling would answer with problem JSON).</summary>
    public static PartialViewResult NotFoundPage(this PageModel page)
    {
        PartialViewResult result = page.Partial("_NotFound");
        result.StatusCode = StatusCodes.Status404NotFound;
        return result;
    }
}
