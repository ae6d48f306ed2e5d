using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Seals;

/// <summary>The seal register of the keeper's units: state, custodian and where each seal is.</summary>
public sealed class IndexModel(SealRegistry seals) : PageModel
{
    public IReadOnlyList<Seal> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = await seals.ListAsync(CallerScope.Of(User), null, null, cancellationToken);
}
