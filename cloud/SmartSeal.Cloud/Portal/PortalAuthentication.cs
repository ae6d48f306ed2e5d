using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// The portal's cookie sign-in on top of <see cref="AuthService"/>: signing in creates the same
/// user token the API hands out (same lockout, same expiry) and keeps it inside the encrypted
/// cookie; every request checks the token again, so a revoked token, a deactivated user or a
/// changed role takes effect at once. The claims are those of the bearer scheme, so
/// <see cref="CallerScope"/> and the role policies read them the same way.
/// The cookie is accepted only by portal pages and the portal's event stream, never by
/// <c>/api</c> (which takes bearer tokens only, so it needs no CSRF protection).
/// </summary>
public static class PortalAuthentication
{
    public const string SchemeName = "PortalCookie";
    public const string CookieName = "smartseal-portal";
    public const string TokenClaim = "smartseal:token";

    public static ClaimsPrincipal PrincipalOf(TokenOwner owner, string token)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, owner.User.Login),
            new(ClaimTypes.GivenName, owner.User.DisplayName),
            new(UserTokenAuthenticationHandler.UnitClaim, owner.User.UnitId),
            new(TokenClaim, token),
        };
        claims.AddRange(owner.Roles.Select(r => r.Role).Distinct().Select(role => new Claim(ClaimTypes.Role, role)));
        claims.AddRange(owner.Roles.Select(r => new Claim(UserTokenAuthenticationHandler.UnitRoleClaim, r.Role + "@" + r.UnitId)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/Account/SignIn";
        options.LogoutPath = "/Account/SignOut";
        options.AccessDeniedPath = "/Account/Denied";
        options.SlidingExpiration = false;
        options.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>Re-reads the user behind the cookie's token: rejects it when the token is no longer valid, refreshes roles otherwise.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        string? token = context.Principal?.FindFirst(TokenClaim)?.Value;
        AuthService auth = context.HttpContext.RequestServices.GetRequiredService<AuthService>();
        if (token is null || await auth.ValidateAsync(token, context.HttpContext.RequestAborted) is not { } owner)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SchemeName);
            return;
        }

        context.ReplacePrincipal(PrincipalOf(owner, token));
    }
}
