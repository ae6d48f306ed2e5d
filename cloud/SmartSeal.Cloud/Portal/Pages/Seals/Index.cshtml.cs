using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Seals;

/// <summary>
/// The seal register of the keeper's units (state, custodian, where each seal is) and the
/// lifecycle actions allowed now (<see cref="SealLifecycle"/>; the registry checks scope, reason and tag).
/// </summary>
public sealed class IndexModel(SealRegistry seals, IStringLocalizer<PortalText> text) : PageModel
{
    public IReadOnlyList<Seal> Items { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = await seals.ListAsync(CallerScope.Of(User), null, null, cancellationToken);

    public async Task<IActionResult> OnPostTransitionAsync(string id, string? action, string? reason, string? rfidTag, CancellationToken cancellationToken)
    {
        if (!Kebab.TryParse(action, out SealAction parsed))
        {
            Error = text["Seals.ChooseAction"];
        }
        else
        {
            ChangeResult<Seal> result = await seals.TransitionAsync(id, parsed, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
                string.IsNullOrWhiteSpace(rfidTag) ? null : rfidTag.Trim(), CallerScope.Of(User), cancellationToken);
            if (result.Status == ChangeStatus.Ok)
            {
                TempData["Flash"] = text["Seals.Done", result.Value!.Name, Label(text, "SealState.", Kebab.Of(result.Value.State))].Value;
                return RedirectToPage();
            }

            Error = result.Status switch
            {
                ChangeStatus.Invalid when result.Problems?.ContainsKey("reason") == true => text["Seals.ReasonRequired"],
                ChangeStatus.Invalid when result.Problems?.ContainsKey("rfidTag") == true => text["Seals.TagInvalid"],
                ChangeStatus.Forbidden => text["Detail.Forbidden"],
                _ => result.Error ?? string.Join("; ", result.Problems?.SelectMany(p => p.Value) ?? []),
            };
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public static string Label(IStringLocalizer<PortalText> text, string prefix, string value)
    {
        LocalizedString label = text[prefix + value];
        return label.ResourceNotFound ? value : label.Value;
    }
}
