using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Keeper;

/// <summary>
/// Inventory checks (盘点, <see cref="InventoryService"/>): start one for a unit, see what was found
/// so far — the tags the cabinets and locks reported themselves and those a keeper typed — with
/// the discrepancies, add tags read by hand, close it (the result goes into the ledger).
/// </summary>
public sealed class InventoryModel(InventoryService inventory, SealRegistry seals, SealDirectory sealDirectory, OrgStore org, IStringLocalizer<PortalText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public InventoryCheck? Check { get; private set; }

    public IReadOnlyList<InventoryCheckSummary> Recent { get; private set; } = [];

    public IReadOnlyList<OrgUnit> Units { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Id is not null && Check is null ? this.NotFoundPage() : Page();
    }

    public async Task<IActionResult> OnPostStartAsync(string? unitId, CancellationToken cancellationToken)
    {
        ChangeResult<InventoryCheck> result = await inventory.StartAsync(string.IsNullOrWhiteSpace(unitId) ? null : unitId, CallerScope.Of(User), cancellationToken);
        return await OutcomeAsync(result, "Inventory.Started", cancellationToken);
    }

    public async Task<IActionResult> OnPostObserveAsync(string? tags, CancellationToken cancellationToken)
    {
        string[] list = (tags ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (Id is not { } id || list.Length == 0)
        {
            Error = text["Inventory.TagsRequired"];
            await LoadAsync(cancellationToken);
            return Page();
        }

        return await OutcomeAsync(await inventory.ObserveAsync(id, "manual:" + User.Identity!.Name, list, CallerScope.Of(User), cancellationToken), "Inventory.Observed", cancellationToken);
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken) =>
        Id is { } id
            ? await OutcomeAsync(await inventory.CloseAsync(id, CallerScope.Of(User), cancellationToken), "Inventory.Closed", cancellationToken)
            : this.NotFoundPage();

    private async Task<IActionResult> OutcomeAsync(ChangeResult<InventoryCheck> result, string flashKey, CancellationToken cancellationToken)
    {
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text[flashKey, result.Value!.Id].Value;
            return RedirectToPage(new { id = result.Value.Id });
        }

        Error = ChangeText.Of(result, text);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CallerScope scope = CallerScope.Of(User);
        var keeperUnits = scope.KeeperUnitIds.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<OrgUnit> all = await org.ListUnitsAsync(cancellationToken);
        Units = scope.Everything ? all : all.Where(u => keeperUnits.Any(k => u.Path.Contains("/" + k + "/", StringComparison.Ordinal))).ToList();
        // The keeper's subtrees are exactly the units above (a path names every unit above it).
        Recent = await sealDirectory.InventoryChecksAsync(scope.Everything ? null : Units.Select(u => u.Id).ToList(), 20, cancellationToken);
        if (Id is { } id && await inventory.ReadAsync(id, cancellationToken) is { } check && await seals.InScopeAsync(check.UnitId, scope, writing: false, cancellationToken))
        {
            Check = check;
        }
    }
}
