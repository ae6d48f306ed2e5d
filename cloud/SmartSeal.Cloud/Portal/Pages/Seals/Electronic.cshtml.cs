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
/// (scope, reason and ledger entry are its business); the impression is previewed as SVG. For a
/// legacy seal the keeper uploads a scan of its impression and chooses between it and the impression
/// drawn from the text (<see cref="ImpressionScans"/>).
/// </summary>
public sealed class ElectronicModel(SealRegistry seals, ESealRegister register, ImpressionScans scans, IOptions<ESealOptions> options, IStringLocalizer<PortalText> text) : PageModel
{
    /// <summary>The scan size limit in whole megabytes, for the hint and the refusal.</summary>
    public double ScanLimitMb => Math.Round(options.Value.MaxImpressionScanBytes / (1024.0 * 1024.0), 1);

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

    /// <summary>The seal's impression as sealing would use it: drawn from its text or the keeper's scan (SVG, real size in millimetres).</summary>
    public async Task<IActionResult> OnGetImpressionAsync(string id, CancellationToken cancellationToken) =>
        await scans.ImpressionOfAsync(id, CallerScope.Of(User), cancellationToken) is { } impression
            ? Content(impression.ToSvg(), "image/svg+xml")
            : NotFound();

    /// <summary>Uploads a scan of the legacy seal's impression; it becomes the impression.</summary>
    public async Task<IActionResult> OnPostScanAsync(string id, IFormFile? scan, double? widthMm, CancellationToken cancellationToken)
    {
        if (scan is null || scan.Length == 0)
        {
            return await ShowErrorAsync(text["ESeals.ScanMissing"], cancellationToken);
        }

        if (scan.Length > options.Value.MaxImpressionScanBytes)
        {
            return await ShowErrorAsync(text["ESeals.ScanTooLarge", ScanLimitMb], cancellationToken);
        }

        using var buffer = new MemoryStream((int)scan.Length);
        await scan.CopyToAsync(buffer, cancellationToken);
        ChangeResult<ImpressionScanUpload> result;
        try
        {
            result = await scans.UploadAsync(id, buffer.ToArray(), widthMm, CallerScope.Of(User), cancellationToken);
        }
        catch (ImpressionScanException e)
        {
            return await ShowErrorAsync(e.Problem switch
            {
                ScanProblem.UnsupportedType => text["ESeals.ScanNotImage"],
                ScanProblem.TooLarge => text["ESeals.ScanTooLarge", ScanLimitMb],
                _ => text["ESeals.ScanUnusable", e.Message],
            }, cancellationToken);
        }

        if (result.Status == ChangeStatus.Ok)
        {
            ImpressionScanView stored = result.Value!.Scan;
            TempData["Flash"] = text["ESeals.ScanDone", result.Value.ESeal.Seal.Name, stored.WidthMm.ToString("0.#", System.Globalization.CultureInfo.CurrentCulture), stored.HeightMm.ToString("0.#", System.Globalization.CultureInfo.CurrentCulture)].Value;
            return RedirectToPage();
        }

        return await OutcomeAsync(new ChangeResult<ESealView>(result.Status, null, result.Error, result.Problems), cancellationToken);
    }

    /// <summary>Chooses the impression sealing uses: drawn from the text, or the current scan.</summary>
    public async Task<IActionResult> OnPostImpressionAsync(string id, string? source, CancellationToken cancellationToken)
    {
        if (!Kebab.TryParse(source, out ImpressionSource parsed))
        {
            return await ShowErrorAsync(text["Seals.ChooseAction"], cancellationToken);
        }

        ChangeResult<ESealView> result = await scans.ChooseAsync(id, parsed, CallerScope.Of(User), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["ESeals.ImpressionDone", result.Value!.Seal.Name, text["ESeals.ImpressionSource." + Kebab.Of(parsed)]].Value;
            return RedirectToPage();
        }

        return await OutcomeAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostTwinAsync(string id, CancellationToken cancellationToken) =>
        await OutcomeAsync(await register.AddTwinAsync(id, CallerScope.Of(User), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostTransitionAsync(string id, string? action, string? reason, CancellationToken cancellationToken)
    {
        if (!Kebab.TryParse(action, out ESealAction parsed))
        {
            return await ShowErrorAsync(text["Seals.ChooseAction"], cancellationToken);
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

    private async Task<IActionResult> ShowErrorAsync(string error, CancellationToken cancellationToken)
    {
        Error = error;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
