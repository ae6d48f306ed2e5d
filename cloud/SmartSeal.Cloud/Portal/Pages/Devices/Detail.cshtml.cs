using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Portal.Pages.Devices;

/// <summary>
/// One device of the keeper's units (<see cref="UnitAuthority"/>) and its remote disable / enable: the keeper confirms with a reason in a dialog, the
/// page posts it to <see cref="DesiredStateService"/> (retained desired state + set-state command)
/// and then shows the device's acknowledgement as it arrives (live stream, <c>state-applied</c>).
/// </summary>
public sealed class DetailModel(DeviceRepository devices, DesiredStateService states, CommandService commands, UnitAuthority authority, PortalPeople people, IStringLocalizer<PortalText> text) : PageModel
{
    public const int CommandsShown = 10;

    public Device Device { get; private set; } = null!;

    public DesiredStateView State { get; private set; } = null!;

    /// <summary>The newest commands and their results (the set-state of a disable among them).</summary>
    public IReadOnlyList<CommandRecord> Commands { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();

    /// <summary>The acknowledgement panel alone, for the page's script to refresh.</summary>
    public async Task<IActionResult> OnGetStateAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Partial("_DeviceState", this) : this.NotFoundPage();

    public Task<IActionResult> OnPostDisableAsync(string id, CancellationToken cancellationToken) => SetEnabledAsync(id, false, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken) => SetEnabledAsync(id, true, cancellationToken);

    private async Task<IActionResult> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        if (!await authority.CanAsync(User, UnitRight.Keep, ObjectKind.Device, id, cancellationToken))
        {
            return this.NotFoundPage(); // another unit's device, as the API: not found
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 200)
        {
            Error = text["Device.ReasonRequired"];
            return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
        }

        DesiredStateResult result = await states.SetEnabledAsync(id, enabled, Reason.Trim(), User.Identity!.Name, null, cancellationToken);
        switch (result.Status)
        {
            case DesiredStateStatus.Ok:
                TempData["Flash"] = text[enabled ? "Device.EnableSent" : "Device.DisableSent"].Value;
                return RedirectToPage("/Devices/Detail", new { id });
            case DesiredStateStatus.UnknownDevice:
                return this.NotFoundPage();
            default:
                Error = result.Status == DesiredStateStatus.RetiredDevice ? text["Device.Retired"] : string.Join("; ", result.Problems?.SelectMany(p => p.Value) ?? []);
                return await LoadAsync(id, cancellationToken) ? Page() : this.NotFoundPage();
        }
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!await authority.CanAsync(User, UnitRight.Keep, ObjectKind.Device, id, cancellationToken) || await devices.FindAsync(id, cancellationToken) is not { } device)
        {
            return false;
        }

        Device = device;
        State = DesiredStateView.Of(id, await states.FindAsync(id, cancellationToken));
        Commands = await commands.ListAsync(id, null, CommandsShown, cancellationToken);
        await people.LoadAsync(Commands.Select(c => c.RequestedBy).Append(State.UpdatedBy), cancellationToken);
        return true;
    }
}
