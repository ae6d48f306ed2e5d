using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartSeal.Cloud.Portal.Pages;

/// <summary>
/// The portal's own 404 page in the reader's language, signed in or not. A GET/HEAD for a portal URL
/// no endpoint matched is re-executed here (<see cref="PortalRegistration.MapPortal"/>); the API and
/// every other method keep the host's RFC 7807 problem details.
/// </summary>
public sealed class NotFoundModel : PageModel
{
    public IActionResult OnGet()
    {
        PartialViewResult page = this.NotFoundPage();
        page.ViewData["UnknownUrl"] = true;
        return page;
    }
}
