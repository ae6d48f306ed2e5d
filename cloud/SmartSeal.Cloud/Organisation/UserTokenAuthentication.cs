using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Organisation;

/// <summary>
/// Bearer tokens of signed-in users (<c>Authorization: Bearer sst_...</c>, from <c>POST /api/auth/login</c>).
/// Sets the name, one role claim per role held anywhere (for the role policies) and one
/// <see cref="UnitRoleClaim"/> per role and unit (for scoping reads to the units' subtrees).
/// </summary>
public sealed class UserTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthService auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "UserToken";

    /// <summary>Claim type whose values are "{role}@{unitId}".</summary>
    public const string UnitRoleClaim = "smartseal:unit-role";

    public const string UnitClaim = "smartseal:unit";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerOf(Request) is not { } token || !token.StartsWith(AuthService.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        if (await auth.ValidateAsync(token, Context.RequestAborted) is not { } owner)
        {
            Logger.LogWarning("Refused an unknown, expired or revoked user token from {Remote}", Context.Connection.RemoteIpAddress);
            return AuthenticateResult.Fail("invalid or expired token");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, owner.User.Login),
            new(ClaimTypes.GivenName, owner.User.DisplayName),
            new(UnitClaim, owner.User.UnitId),
        };
        claims.AddRange(owner.Roles.Select(r => r.Role).Distinct().Select(role => new Claim(ClaimTypes.Role, role)));
        claims.AddRange(owner.Roles.Select(r => new Claim(UnitRoleClaim, r.Role + "@" + r.UnitId)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static string? BearerOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }
}

/// <summary>Picks the handler by the token's shape: user tokens start with <see cref="AuthService.TokenPrefix"/>, anything else is an API key.</summary>
public static class BearerSchemes
{
    public const string SchemeName = "Bearer";

    public static string Select(HttpContext context) =>
        UserTokenAuthenticationHandler.BearerOf(context.Request) is { } token && token.StartsWith(AuthService.TokenPrefix, StringComparison.Ordinal)
            ? UserTokenAuthenticationHandler.SchemeName
            : ApiKeyAuthenticationHandler.SchemeName;
}
