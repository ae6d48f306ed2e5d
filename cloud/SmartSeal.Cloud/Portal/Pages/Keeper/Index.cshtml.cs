using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Keeper;

/// <summary>
/// The keeper's desk: approved take-outs waiting for their seal to go into a portable lock (bind:
/// the use token goes to the lock, <see cref="CheckoutService.BindToLockAsync"/>), and stowing a
/// seal into an empty cabinet compartment (<see cref="CheckoutService.StowAsync"/>). Only seals of
/// the keeper's units are offered; the service checks everything again.
/// </summary>
public sealed class IndexModel(CheckoutService checkouts, SealRegistry seals, DeviceRepository devices, PortalPeople people, IStringLocalizer<PortalText> text) : PageModel
{
    public IReadOnlyList<Checkout> Awaiting { get; private set; } = [];

    public IReadOnlyList<Checkout> OnTrip { get; private set; } = [];

    public IReadOnlyList<Device> Locks { get; private set; } = [];

    public IReadOnlyList<Device> Cabinets { get; private set; } = [];

    public IReadOnlyList<Seal> Stowable { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Seal> mine = await seals.ListAsync(CallerScope.Of(User), null, null, cancellationToken);
        var ids = mine.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        Awaiting = (await checkouts.ListAsync(null, CheckoutStatus.Awaiting, cancellationToken)).Where(c => c.Mode == "lock" && ids.Contains(c.SealId)).ToList();
        OnTrip = (await checkouts.ListAsync(null, CheckoutStatus.Out, cancellationToken)).Where(c => c.Mode == "lock" && ids.Contains(c.SealId)).ToList();
        IReadOnlyList<Device> all = await devices.ListAsync(null, null, cancellationToken);
        Locks = all.Where(d => d.Kind == DeviceKind.Lock && !d.Retired).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        Cabinets = all.Where(d => d.Kind == DeviceKind.Cabinet && !d.Retired).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        Stowable = mine.Where(s => s.RfidTag != null && s.LocationKind != SealLocationKind.Lock && s.State == SealState.InUse).ToList();
        await people.LoadAsync(Awaiting.Concat(OnTrip).Select(c => c.Holder), cancellationToken);
    }

    public async Task<IActionResult> OnPostBindAsync(string applicationId, string? lockId, string? tag, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(lockId))
        {
            Error = text["Keeper.ChooseLock"];
        }
        else if (!await InScopeAsync(applicationId, cancellationToken))
        {
            Error = text["Detail.NotFound"];
        }
        else
        {
            ChangeResult<Checkout> result = await checkouts.BindToLockAsync(applicationId, lockId, string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(), User.Identity!.Name!, cancellationToken);
            if (result.Status == ChangeStatus.Ok)
            {
                TempData["Flash"] = text["Keeper.Bound", result.Value!.SealId, lockId].Value;
                return RedirectToPage();
            }

            Error = ChangeText.Of(result, text);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostStowAsync(string? sealId, string? cabinetId, int? compartment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sealId) || string.IsNullOrWhiteSpace(cabinetId) || compartment is null)
        {
            Error = text["Keeper.StowMissing"];
        }
        else if (await seals.FindAsync(sealId, CallerScope.Of(User), cancellationToken) is not { } seal || !await seals.InScopeAsync(seal.UnitId, CallerScope.Of(User), writing: true, cancellationToken))
        {
            Error = text["Detail.NotFound"];
        }
        else
        {
            var result = await checkouts.StowAsync(sealId, cabinetId, compartment.Value, User.Identity!.Name!, cancellationToken);
            if (result.Status == ChangeStatus.Ok)
            {
                TempData["Flash"] = text["Keeper.StowOpened", seal.Name, cabinetId, compartment.Value].Value;
                return RedirectToPage();
            }

            Error = ChangeText.Of(result, text);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    private async Task<bool> InScopeAsync(string applicationId, CancellationToken cancellationToken) =>
        await checkouts.FindAsync(applicationId, cancellationToken) is { } checkout
        && await seals.FindAsync(checkout.SealId, CallerScope.Of(User), cancellationToken) is { } seal
        && await seals.InScopeAsync(seal.UnitId, CallerScope.Of(User), writing: true, cancellationToken);
}
