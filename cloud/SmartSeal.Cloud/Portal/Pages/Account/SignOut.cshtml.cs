using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Account;

/// <summary>Revokes the token behind the cookie and drops the cookie (POST only, so a link cannot sign anyone out).</summary>
public sealed class SignOutModel(AuthService auth) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst(PortalAuthentication.TokenClaim)?.Value is { } token)
        {
            await auth.LogoutAsync(token, cancellationToken);
        }

        await HttpContext.SignOutAsync(PortalAuthentication.SchemeName);
        return Redirect("/Account/SignIn");
    }
}
