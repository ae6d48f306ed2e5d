using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Organisation;

/// <summary><c>/api/org</c>: units, users, role assignments and delegations. Changes need a sysadmin (the admin API key bootstraps the first ones).</summary>
public static class OrganisationApi
{
    public static RouteGroupBuilder MapOrganisationApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/org").WithTags("Organisation").RequireAuthorization();
        group.MapGet("/units", async (OrgStore org, CancellationToken ct) => TypedResults.Ok((await org.ListUnitsAsync(ct)).ToArray())).WithSummary("The unit tree, in path order");
        group.MapPost("/units", CreateUnitAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Adds a unit under a parent (the first unit is the root)");
        group.MapGet("/users", async (OrgStore org, string? unitId, CancellationToken ct) => TypedResults.Ok((await org.ListUsersAsync(unitId, ct)).ToArray()))
            .RequireAuthorization(Policies.Auditor).WithSummary("Users, optionally of one unit");
        group.MapGet("/users/{login}", GetUserAsync).RequireAuthorization(Policies.Auditor).WithSummary("One user with their roles");
        group.MapPost("/users", CreateUserAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Adds a user with an initial password (min. 10 characters, not the login)");
        group.MapPut("/users/{login}/password", SetPasswordAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Resets a password (and clears a lockout)");
        group.MapPut("/users/{login}/active", SetActiveAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Activates or deactivates a user (deactivation revokes their tokens)");
        group.MapPut("/users/{login}/placement", PlaceUserAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Moves a user to another unit and post (调动)");
        group.MapPost("/users/{login}/roles", GrantRoleAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Grants a role on a unit (and its sub-units)");
        group.MapDelete("/users/{login}/roles/{role}/{unitId}", RevokeRoleAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Takes a role away");
        group.MapGet("/delegations", async (OrgStore org, string? login, CancellationToken ct) => TypedResults.Ok((await org.DelegationsAsync(login, ct)).ToArray()))
            .WithSummary("Delegations of approval rights not yet ended");
        group.MapPost("/delegations", DelegateAsync).RequireAuthorization(Policies.SysAdmin).WithSummary("Lends an approver's rights to another user for a period");
        return group;
    }

    public static async Task<Results<Created<OrgUnit>, ValidationProblem, ProblemHttpResult>> CreateUnitAsync(CreateUnitRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Created(await org.CreateUnitAsync(request.Id, request.ParentId, request.NameZh, request.NameEn, Actor(user), cancellationToken), u => $"/api/org/units/{u.Id}");

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetUserAsync(string login, OrgStore org, CancellationToken cancellationToken) =>
        await org.FindUserAsync(login, cancellationToken) is { } account
            ? TypedResults.Ok(new UserView(account, (await org.RolesOfAsync(login, cancellationToken)).ToArray()))
            : TypedResults.Problem(Problems.NotFound($"no user {login}"));

    public static async Task<Results<Created<UserAccount>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(CreateUserRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Created(await org.CreateUserAsync(request.Login?.Trim().ToLowerInvariant(), request.DisplayName, request.UnitId, request.Post, request.Password, Actor(user), cancellationToken), u => $"/api/org/users/{u.Login}");

    public static async Task<Results<Ok<UserAccount>, ValidationProblem, ProblemHttpResult>> SetPasswordAsync(string login, SetPasswordRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Ok(await org.SetPasswordAsync(login, request.Password, Actor(user), cancellationToken));

    public static async Task<Results<Ok<UserAccount>, ValidationProblem, ProblemHttpResult>> SetActiveAsync(string login, SetActiveRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Ok(await org.SetActiveAsync(login, request.Active, Actor(user), cancellationToken));

    public static async Task<Results<Ok<UserAccount>, ValidationProblem, ProblemHttpResult>> PlaceUserAsync(string login, PlaceUserRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Ok(await org.PlaceUserAsync(login, request.UnitId, request.Post, Actor(user), cancellationToken));

    public static async Task<Results<Created<RoleAssignment>, ValidationProblem, ProblemHttpResult>> GrantRoleAsync(string login, GrantRoleRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Created(await org.GrantRoleAsync(login, request.Role, request.UnitId, Actor(user), cancellationToken), r => $"/api/org/users/{r.Login}");

    public static async Task<Results<Ok<RoleAssignment>, ValidationProblem, ProblemHttpResult>> RevokeRoleAsync(string login, string role, string unitId, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Ok(await org.RevokeRoleAsync(login, role, unitId, Actor(user), cancellationToken));

    public static async Task<Results<Created<Delegation>, ValidationProblem, ProblemHttpResult>> DelegateAsync(DelegateRequest request, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Created(await org.DelegateAsync(request.FromLogin, request.ToLogin, request.UnitId, request.StartsMs, request.EndsMs, request.Reason, Actor(user), cancellationToken), d => $"/api/org/delegations/{d.Id}");

    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    /// <summary>Maps a change that creates something onto 201 / 400 / 404 / 409 / 403.</summary>
    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> Created<T>(ChangeResult<T> result, Func<T, string> location) => result.Status switch
    {
        ChangeStatus.Ok => TypedResults.Created(location(result.Value!), result.Value),
        ChangeStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
        _ => TypedResults.Problem(ProblemOf(result.Status, result.Error!)),
    };

    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Ok<T>(ChangeResult<T> result) => result.Status switch
    {
        ChangeStatus.Ok => TypedResults.Ok(result.Value),
        ChangeStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
        _ => TypedResults.Problem(ProblemOf(result.Status, result.Error!)),
    };

    public static ProblemDetails ProblemOf(ChangeStatus status, string error) => status switch
    {
        ChangeStatus.NotFound => Problems.NotFound(error),
        ChangeStatus.Forbidden => Problems.Forbidden(error),
        _ => Problems.Conflict(error),
    };
}

public sealed record CreateUnitRequest(string? Id, string? ParentId, string? NameZh, string? NameEn);

public sealed record CreateUserRequest(string? Login, string? DisplayName, string? UnitId, string? Post, string? Password);

public sealed record SetPasswordRequest(string? Password);

public sealed record SetActiveRequest(bool Active);

public sealed record PlaceUserRequest(string? UnitId, string? Post);

public sealed record GrantRoleRequest(string? Role, string? UnitId);

public sealed record DelegateRequest(string? FromLogin, string? ToLogin, string? UnitId, long StartsMs, long EndsMs, string? Reason);

public sealed record UserView(UserAccount User, RoleAssignment[] Roles);
