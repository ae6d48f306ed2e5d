using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;

namespace SmartSeal.Cloud.Organisation;

/// <summary><c>/api/auth</c>: password sign-in for a bearer token, sign-out; <c>/api/me</c>: who the caller is.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().WithSummary("Signs in with login and password; returns a bearer token (12 h). 5 wrong passwords lock the account for 15 min (423).");
        group.MapPost("/password", ChangePasswordAsync).RequireAuthorization().WithSummary("Changes the signed-in user's own password (the current one is checked; wrong ones count towards the lockout)");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization().WithSummary("Revokes the caller's token");
        app.MapGet("/api/me", MeAsync).WithTags("Auth").RequireAuthorization().WithSummary("The caller's identity, unit and roles per unit");
        return app;
    }

    public static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(LoginRequest request, AuthService auth, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Login) || string.IsNullOrEmpty(request.Password))
        {
            var problems = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Login))
            {
                problems["login"] = ["is required"];
            }

            if (string.IsNullOrEmpty(request.Password))
            {
                problems["password"] = ["is required"];
            }

            return TypedResults.ValidationProblem(problems);
        }

        LoginResult result = await auth.LoginAsync(request.Login.Trim().ToLowerInvariant(), request.Password, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (result.Status)
        {
            case LoginStatus.Ok:
                return TypedResults.Ok(new LoginResponse(result.Token!, "Bearer", result.ExpiresMs));
            case LoginStatus.Locked:
                var until = DateTimeOffset.FromUnixTimeMilliseconds(result.LockedUntilMs);
                long seconds = Math.Max(1, (long)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status423Locked,
                    Title = "Account locked",
                    Detail = $"too many wrong passwords: the account is locked until {until:u}; try again in {seconds} s or ask a sysadmin to reset the password",
                    Type = "https://smartseal.dev/problems/account-locked",
                    Extensions = { ["lockedUntilMs"] = result.LockedUntilMs },
                });
            default:
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "Sign-in refused",
                    Detail = "unknown login or wrong password",
                    Type = "https://smartseal.dev/problems/sign-in-refused",
                });
        }
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal user, AuthService auth, HttpContext context, CancellationToken cancellationToken)
    {
        if (user.Identity?.AuthenticationType != UserTokenAuthenticationHandler.SchemeName)
        {
            return TypedResults.Problem(Problems.Conflict("only signed-in users have a password; the admin API key is changed in configuration"));
        }

        ChangeResult<UserAccount> result = await auth.ChangePasswordAsync(user.Identity.Name!, request.CurrentPassword, request.NewPassword, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return result.Status switch
        {
            ChangeStatus.Ok => TypedResults.NoContent(),
            ChangeStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
            _ => TypedResults.Problem(OrganisationApi.ProblemOf(result.Status, result.Error!)),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext context, AuthService auth, CancellationToken cancellationToken)
    {
        if (UserTokenAuthenticationHandler.BearerOf(context.Request) is not { } token || !token.StartsWith(AuthService.TokenPrefix, StringComparison.Ordinal))
        {
            return TypedResults.Problem(Problems.Conflict("only user tokens can be revoked by logging out; the admin API key is changed in configuration"));
        }

        await auth.LogoutAsync(token, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<MeResponse>> MeAsync(ClaimsPrincipal user, OrgStore org, CancellationToken cancellationToken)
    {
        string login = user.Identity!.Name!;
        UserAccount? account = user.Identity.AuthenticationType == UserTokenAuthenticationHandler.SchemeName ? await org.FindUserAsync(login, cancellationToken) : null;
        var roles = user.FindAll(UserTokenAuthenticationHandler.UnitRoleClaim).Select(c => c.Value.Split('@', 2)).Select(p => new UnitRole(p[0], p[1])).ToArray();
        return TypedResults.Ok(new MeResponse(login, account?.DisplayName, account?.UnitId, account?.Post,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToArray(), roles, user.Identity.AuthenticationType));
    }
}

public sealed record LoginRequest(string? Login, string? Password);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record LoginResponse(string Token, string TokenType, long ExpiresMs);

public sealed record UnitRole(string Role, string UnitId);

public sealed record MeResponse(string Login, string? DisplayName, string? UnitId, string? Post, string[] Roles, UnitRole[] UnitRoles, string? AuthenticatedBy);
