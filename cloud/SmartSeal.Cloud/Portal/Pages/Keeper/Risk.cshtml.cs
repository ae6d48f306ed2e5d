using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Risk;

namespace SmartSeal.Cloud.Portal.Pages.Keeper;

/// <summary>
/// Unusual use for the keeper to review (<see cref="RiskReview"/>): the last days' flags, newest
/// first, each with its reason worded in the page's language from the flag's facts.
/// </summary>
public sealed class RiskModel(RiskReview review, IOptionsMonitor<RiskOptions> options, TimeProvider time, IStringLocalizer<PortalText> text) : PageModel
{
    public RiskBoard Board { get; private set; } = new(0, 0, [], new Dictionary<string, string>());

    public int Days => options.CurrentValue.BoardDays;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        long to = time.GetUtcNow().ToUnixTimeMilliseconds();
        Board = await review.ReviewAsync(LedgerAudience.Of(User), to - (long)TimeSpan.FromDays(Days).TotalMilliseconds, to, cancellationToken);
    }

    public string KindName(RiskKind kind) => text["Risk.Kind." + kind].Value;

    /// <summary>The reason in the reader's language: the kind's sentence with the flag's facts.</summary>
    public string Reason(RiskFlag flag) => string.Format(CultureInfo.CurrentCulture, text["Risk.Reason." + flag.Kind].Value, [.. flag.Facts]);

    public string SealName(string id) => Board.SealNames.TryGetValue(id, out string? name) ? name : id;
}
