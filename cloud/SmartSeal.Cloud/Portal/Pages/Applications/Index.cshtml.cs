using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Portal.Pages.Applications;

/// <summary>The applicant's own applications, newest first, with where each stands.</summary>
public sealed class IndexModel(ApplicationService applications, PortalPeople people) : PageModel
{
    public IReadOnlyList<ApplicationView> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = await applications.MineAsync(User.Identity!.Name!, cancellationToken);
        await people.LoadAsync(Items.SelectMany(a => a.HeldBy), cancellationToken);
    }
}
