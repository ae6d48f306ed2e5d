using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Account;

/// <summary>Password sign-in through <see cref="AuthService"/> (same lockout as the API), then the portal cookie.</summary>
public sealed class SignInModel(AuthService auth, IStringLocalizer<PortalText> text, PortalClock clock) : PageModel
{
    [BindProperty]
    public string? Login { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Login) || string.IsNullOrEmpty(Password))
        {
            Error = text["SignIn.Missing"];
            return Page();
        }

        string login = Login.Trim().ToLowerInvariant();
        LoginResult result = await auth.LoginAsync(login, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (result.Status)
        {
            case LoginStatus.Ok:
                TokenOwner owner = (await auth.ValidateAsync(result.Token!, cancellationToken))!;
                await HttpContext.SignInAsync(PortalAuthentication.SchemeName, PortalAuthentication.PrincipalOf(owner, result.Token!), new AuthenticationProperties
                {
                    IsPersistent = false,
                    ExpiresUtc = DateTimeOffset.FromUnixTimeMilliseconds(result.ExpiresMs),
                });
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case LoginStatus.Locked:
                Error = text["SignIn.Locked", clock.Format(result.LockedUntilMs)];
                return Page();
            default:
                Error = text["SignIn.Wrong"];
                return Page();
        }
    }
}
