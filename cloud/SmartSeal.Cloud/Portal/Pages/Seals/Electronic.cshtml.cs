using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;

namespace SmartSeal.Cloud.Portal.Pages.Seals;

/// <summary>
/// 电子印章 (issue 16): the keeper's seals with their electronic form — give a physical seal its
/// electronic twin (申请制作), then make (key on the token + certificate), record (备案), change
/// (new certificate), freeze / unfreeze and revoke, each through <see cref="ESealRegister"/>
/// (scope, reason and ledger entry are its business); the impression is previewed as SVG.
/// </summary>
public sealed class ElectronicModel(SealRegistry seals, ESealRegister register, IOptions<ESealOptions> options, IStringLocalizer<PortalText> text) : PageModel
{
    /// <summary>Each seal of the keeper's units with its electronic form, or null when it has none yet.</summary>
    public IReadOnlyList<(Seal Seal, ESeal? ESeal)> Items { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var items = new List<(Seal, ESeal?)>();
        foreach (Seal seal in await seals.ListAsync(CallerScope.Of(User), null, null, cancellationToken))
        {
            items.Add((seal, (await register.FindAsync(seal.Id, CallerScope.Of(User), cancellationToken))?.ESeal));
        }

        Items = items;
    }

    /// <summary>The seal's impression, drawn from its text (SVG, real size in millimetres).</summary>
    public async Task<IActionResult> OnGetImpressionAsync(string id, CancellationToken cancellationToken) =>
        await seals.FindAsync(id, CallerScope.Of(User), cancellationToken) is { } seal
            ? Content(SealImpression.Render(ImpressionSpec.For(seal, options.Value.Organisation)).ToSvg(), "image/svg+xml")
            : NotFound();

    public async Task<IActionResult> OnPostTwinAsync(string id, CancellationToken cancellationToken) =>
        await OutcomeAsync(await register.AddTwinAsync(id, CallerScope.Of(User), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostTransitionAsync(string id, string? action, string? reason, CancellationToken cancellationToken)
    {
        if (!Kebab.TryParse(action, out ESealAction parsed))
        {
            Error = text["Seals.ChooseAction"];
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return await OutcomeAsync(await register.TransitionAsync(id, parsed, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), CallerScope.Of(User), cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> OutcomeAsync(ChangeResult<ESealView> result, CancellationToken cancellationToken)
    {
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["ESeals.Done", result.Value!.Seal.Name, IndexModel.Label(text, "ESealState.", Kebab.Of(result.Value.ESeal.State))].Value;
            return RedirectToPage();
        }

        Error = result.Status switch
        {
            ChangeStatus.Invalid when result.Problems?.ContainsKey("reason") == true => text["Seals.ReasonRequired"],
            ChangeStatus.Forbidden => text["Detail.Forbidden"],
            _ => result.Error ?? string.Join("; ", result.Problems?.SelectMany(p => p.Value) ?? []),
        };
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
