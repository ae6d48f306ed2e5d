using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartSeal.Cloud.Portal.Pages;

/// <summary>
/// Where every URL nothing else answers lands (<c>MapFallbackToPage</c>): the portal's own 404 page in
/// the reader's language. Under <c>/api/</c> it answers a bare 404, which the host's status-code pages
/// turn into RFC 7807 problem details, as for every API error.
/// </summary>
public sealed class NotFoundModel : PageModel
{
    public IActionResult OnGet()
    {
        if (Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return NotFound();
        }

        ViewData["UnknownUrl"] = true;
        return this.NotFoundPage();
    }
}
