using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// The search fields the ledger page and the exports page share (seal, application, kind and a
/// period of days in the user's zone), bound from the query string, so both read them alike.
/// </summary>
public abstract class LedgerSearchPageModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Seal { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Application { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    /// <summary>yyyy-MM-dd in the user's zone, inclusive.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>A typed value, trimmed, or null when nothing was typed (no filter).</summary>
    protected static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
