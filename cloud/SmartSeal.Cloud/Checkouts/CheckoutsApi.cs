using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Checkouts;

public sealed record BindRequest(string? LockId, string? Tag);

public sealed record ReturnRequest(string? CabinetId, int? Compartment);

public sealed record RevokeRequest(string? Reason);

public sealed record StowRequest(string? CabinetId, int? Compartment);

/// <summary>A checkout with the tokens issued for it (their use counts, never their signed text).</summary>
public sealed record CheckoutView(Checkout Checkout, IReadOnlyList<IssuedToken> Tokens, bool Overdue);

/// <summary>
/// <c>/api/checkouts</c>: approved applications' seals going out and coming back. Keepers dispense
/// at a cabinet (when no face gate does), bind seals into portable locks, take them back and
/// revoke; applicants see their own.
/// </summary>
public static class CheckoutsApi
{
    public static RouteGroupBuilder MapCheckoutsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/checkouts").WithTags("Checkouts").RequireAuthorization();
        group.MapGet("/", ListAsync).WithSummary("Checkouts: keepers and auditors those of their units' seals, applicants their own; filter by holder and status");
        group.MapGet("/{applicationId}", GetAsync).WithSummary("One checkout with its tokens' use counts");
        group.MapPost("/{applicationId}/dispense", async (string applicationId, CheckoutService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await service.DispenseAsync(applicationId, OrganisationApi.Actor(user), null, ct)))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Checkout, "applicationId").WithSummary("Opens the seal's compartment for the applicant (a cabinet token, single use, minutes long)");
        group.MapPost("/{applicationId}/accept-return", async (string applicationId, CheckoutService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await service.AcceptReturnAsync(applicationId, OrganisationApi.Actor(user), ct)))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Checkout, "applicationId").WithSummary("Opens the compartment the seal came from, for that seal only, so it can be put back");
        group.MapPost("/{applicationId}/bind", BindToLockAsync).RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Checkout, "applicationId")
            .WithSummary("Binds the seal into a portable lock: the use token goes to the lock as retained desired state");
        group.MapPost("/{applicationId}/return", async (string applicationId, ReturnRequest? request, CheckoutService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await service.ReturnFromLockAsync(applicationId, request?.CabinetId, request?.Compartment, OrganisationApi.Actor(user), ct)))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Checkout, "applicationId").WithSummary("Ends a lock trip: token revoked, seal into a cabinet compartment or to the keeper taking it back");
        group.MapPost("/{applicationId}/revoke", RevokeAsync).RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Checkout, "applicationId")
            .WithSummary("Withdraws the permission: cancels an uncollected checkout or revokes a lock's token at once");

        app.MapPost("/api/seals/{sealId}/stow", StowAsync).WithTags("Checkouts").RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Seal, "sealId")
            .WithSummary("Opens an empty compartment of a cabinet for this seal; it is in the cabinet once the cabinet reports it returned");
        return group;
    }

    public static async Task<Results<Ok<Checkout[]>, ValidationProblem>> ListAsync(
        string? holder, string? status, CheckoutService service, UnitAuthority authority, SealUnits sealUnits, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        CheckoutStatus? wanted = null;
        if (status != null)
        {
            if (!Kebab.TryParse(status, out CheckoutStatus parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["one of " + string.Join(", ", Enum.GetValues<CheckoutStatus>().Select(Kebab.Of))] });
            }

            wanted = parsed;
        }

        // Applicants see only their own.
        if (!SeesAll(user))
        {
            holder = OrganisationApi.Actor(user);
        }

        IReadOnlyList<Checkout> listed = await service.ListAsync(holder, wanted, cancellationToken);
        UnitScope scope = await authority.ScopeAsync(user, UnitRight.Audit, cancellationToken);
        if (scope.Everything)
        {
            return TypedResults.Ok(listed.ToArray());
        }

        // Keepers and auditors: the checkouts of their units' seals (and their own as applicants).
        var sealUnit = new Dictionary<string, string?>(StringComparer.Ordinal);
        var visible = new List<Checkout>();
        foreach (Checkout checkout in listed)
        {
            if (!sealUnit.TryGetValue(checkout.SealId, out string? unit))
            {
                unit = sealUnit[checkout.SealId] = (await sealUnits.FindAsync(checkout.SealId, cancellationToken))?.UnitId;
            }

            if (scope.Contains(unit) || checkout.Holder == OrganisationApi.Actor(user))
            {
                visible.Add(checkout);
            }
        }

        return TypedResults.Ok(visible.ToArray());
    }

    public static async Task<Results<Ok<CheckoutView>, ProblemHttpResult>> GetAsync(
        string applicationId, CheckoutService service, UnitAuthority authority, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        Checkout? checkout = await service.FindAsync(applicationId, cancellationToken);
        if (checkout is null || (checkout.Holder != OrganisationApi.Actor(user) && !await authority.CanAsync(user, UnitRight.Audit, ObjectKind.Checkout, applicationId, cancellationToken)))
        {
            return TypedResults.Problem(Problems.NotFound($"no checkout for application {applicationId}"));
        }

        return TypedResults.Ok(new CheckoutView(checkout, await service.TokensAsync(applicationId, cancellationToken), checkout.IsOverdue(time.GetUtcNow().ToUnixTimeMilliseconds())));
    }

    public static async Task<Results<Ok<Checkout>, ValidationProblem, ProblemHttpResult>> BindToLockAsync(
        string applicationId, BindRequest request, CheckoutService service, UnitAuthority authority, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.LockId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["lockId"] = ["is required: the portable lock the seal goes into"] });
        }

        if (!await authority.MayUseAsync(user, ObjectKind.Device, request.LockId, cancellationToken))
        {
            return TypedResults.Problem(Problems.NotFound($"no lock {request.LockId}"));
        }

        return OrganisationApi.Ok(await service.BindToLockAsync(applicationId, request.LockId, request.Tag, OrganisationApi.Actor(user), cancellationToken));
    }

    public static async Task<Results<Ok<Checkout>, ValidationProblem, ProblemHttpResult>> RevokeAsync(string applicationId, RevokeRequest request, CheckoutService service, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["is required: it is recorded in the ledger"] });
        }

        return OrganisationApi.Ok(await service.RevokeAsync(applicationId, request.Reason, OrganisationApi.Actor(user), cancellationToken));
    }

    public static async Task<Results<Ok<CabinetOpening>, ValidationProblem, ProblemHttpResult>> StowAsync(string sealId, StowRequest request, CheckoutService service, UnitAuthority authority, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.CabinetId) || request.Compartment is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cabinetId"] = ["cabinetId and compartment are required"] });
        }

        if (!await authority.MayUseAsync(user, ObjectKind.Device, request.CabinetId, cancellationToken))
        {
            return TypedResults.Problem(Problems.NotFound($"no cabinet {request.CabinetId}"));
        }

        return OrganisationApi.Ok(await service.StowAsync(sealId, request.CabinetId, request.Compartment.Value, OrganisationApi.Actor(user), cancellationToken));
    }

    private static bool SeesAll(ClaimsPrincipal user) =>
        user.IsInRole(Roles.SysAdmin) || user.IsInRole(Roles.Keeper) || user.IsInRole(Roles.Auditor);
}
