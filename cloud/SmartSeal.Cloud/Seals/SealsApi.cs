using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// <c>/api/seals</c>: the seal register. Everyone with a role reads the seals of their units'
/// subtrees (sysadmin: all); keepers register seals, drive the lifecycle and disable seals remotely
/// (<see cref="SealHolds"/>) in theirs.
/// </summary>
public static class SealsApi
{
    public static RouteGroupBuilder MapSealsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/seals").WithTags("Seals").RequireAuthorization();
        group.MapGet("/", ListAsync).WithSummary("Seals in the caller's units (and sub-units), optionally of one unit's subtree or in one state");
        group.MapGet("/{id}", GetAsync).WithSummary("One seal with the lifecycle actions allowed now");
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Keeper).WithSummary("Registers a seal (state engraving-requested); form electronic or both also requests its e-seal");
        group.MapPost("/{id}/transitions", TransitionAsync).RequireAuthorization(Policies.Keeper)
            .WithSummary("Lifecycle action: engrave, activate (needs an RFID tag), suspend, resume, report-lost, publish-loss, recover, revoke, destroy; 409 names the allowed ones");
        group.MapGet("/{id}/transition-requests", async (string id, TransitionApprovals approvals, CancellationToken ct) => TypedResults.Ok((await approvals.ListAsync(id, ct)).ToArray()))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Seal, "id").WithSummary("Lifecycle actions requested under four eyes, pending and decided");
        group.MapPost("/{id}/transition-requests/{requestId:long}/approve", (string id, long requestId, DecisionRequest? request, TransitionApprovals approvals, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, requestId, true, request, approvals, user, ct))
            .RequireAuthorization(Policies.Keeper).WithSummary("Approves another keeper's request: the action is applied and ledgered with both names");
        group.MapPost("/{id}/transition-requests/{requestId:long}/reject", (string id, long requestId, DecisionRequest? request, TransitionApprovals approvals, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, requestId, false, request, approvals, user, ct))
            .RequireAuthorization(Policies.Keeper).WithSummary("Rejects another keeper's request (comment required)");
        group.MapPost("/{id}/custody", HandOverAsync).RequireAuthorization(Policies.Keeper).WithSummary("Hands the seal over to another custodian");
        group.MapGet("/lifecycle", () => TypedResults.Ok(Enum.GetValues<SealState>().ToDictionary(Kebab.Of, s => SealLifecycle.AllowedActions(s).Select(Kebab.Of).ToArray())))
            .WithSummary("The lifecycle table: for every state, the actions allowed");
        group.MapPost("/{sealId}/disable", (string sealId, SealHoldRequest request, SealHolds holds, ClaimsPrincipal user, CancellationToken ct) =>
                SetEnabledAsync(sealId, false, request, holds, user, ct))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Seal, "sealId").WithSummary("Remote disable of a seal: no dispense or binding, and the lock carrying it is disabled at once");
        group.MapPost("/{sealId}/enable", (string sealId, SealHoldRequest request, SealHolds holds, ClaimsPrincipal user, CancellationToken ct) =>
                SetEnabledAsync(sealId, true, request, holds, user, ct))
            .RequireAuthorization(Policies.Keeper).RequireUnitAccess(ObjectKind.Seal, "sealId").WithSummary("Re-enables a remotely disabled seal (and the lock carrying it)");

        RouteGroupBuilder inventory = app.MapGroup("/api/inventory-checks").WithTags("Seals").RequireAuthorization(Policies.Keeper);
        inventory.MapPost("/", async (StartInventoryRequest request, InventoryService checks, ClaimsPrincipal user, CancellationToken ct) =>
            OrganisationApi.Created(await checks.StartAsync(request.UnitId, CallerScope.Of(user), ct), c => $"/api/inventory-checks/{c.Id}"))
            .WithSummary("Starts an inventory check (盘点) of a unit's subtree: the seals that should be there are snapshotted");
        inventory.MapGet("/{id:long}", async Task<Results<Ok<InventoryCheck>, ProblemHttpResult>> (long id, InventoryService checks, SealRegistry seals, ClaimsPrincipal user, CancellationToken ct) =>
            await checks.ReadAsync(id, ct) is { } check && await seals.InScopeAsync(check.UnitId, CallerScope.Of(user), writing: false, ct)
                ? TypedResults.Ok(check)
                : TypedResults.Problem(Problems.NotFound($"no inventory check {id}")))
            .WithSummary("The check: expected, found, and the discrepancies (missing, no-tag, unexpected, elsewhere)");
        inventory.MapPost("/{id:long}/observations", async (long id, InventoryObservationRequest request, InventoryService checks, ClaimsPrincipal user, CancellationToken ct) =>
            OrganisationApi.Ok(await checks.ObserveAsync(id, request.Source, request.Tags, CallerScope.Of(user), ct)))
            .WithSummary("Tags seen by a cabinet, a lock or a keeper's reader");
        inventory.MapPost("/{id:long}/close", async (long id, InventoryService checks, ClaimsPrincipal user, CancellationToken ct) =>
            OrganisationApi.Ok(await checks.CloseAsync(id, CallerScope.Of(user), ct)))
            .WithSummary("Closes the check and records its result in the ledger");
        return group;
    }

    public static async Task<Results<Ok<Seal[]>, ValidationProblem>> ListAsync(SealRegistry seals, ClaimsPrincipal user, string? unitId, string? state, CancellationToken cancellationToken)
    {
        SealState? wanted = null;
        if (state is not null)
        {
            if (!Kebab.TryParse(state, out SealState parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["one of " + string.Join(", ", Enum.GetValues<SealState>().Select(Kebab.Of))] });
            }

            wanted = parsed;
        }

        return TypedResults.Ok((await seals.ListAsync(CallerScope.Of(user), unitId, wanted, cancellationToken)).ToArray());
    }

    public static async Task<Results<Ok<Seal>, ProblemHttpResult>> GetAsync(string id, SealRegistry seals, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await seals.FindAsync(id, CallerScope.Of(user), cancellationToken) is { } seal ? TypedResults.Ok(seal) : TypedResults.Problem(Problems.NotFound($"no seal {id}"));

    public static async Task<Results<Created<Seal>, ValidationProblem, ProblemHttpResult>> RegisterAsync(RegisterSealRequest request, SealRegistry seals, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Type is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["type"] = ["is required: " + string.Join(", ", Enum.GetValues<SealType>().Select(Kebab.Of))] });
        }

        return OrganisationApi.Created(
            await seals.RegisterAsync(new RegisterSeal(request.Id, request.Name, request.Type.Value, request.UnitId, request.Level ?? 1, request.Custodian, request.RfidTag, request.Form ?? Electronic.SealForm.Physical), CallerScope.Of(user), cancellationToken),
            s => $"/api/seals/{s.Id}");
    }

    /// <summary>Applies the action, or — when policy puts it under four eyes — records the request (202) for another keeper to approve.</summary>
    public static async Task<Results<Ok<Seal>, Accepted<SealTransitionRequest>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        string id, TransitionRequest request, SealRegistry seals, TransitionApprovals approvals, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Action is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["action"] = ["is required: " + string.Join(", ", Enum.GetValues<SealAction>().Select(Kebab.Of))] });
        }

        if (approvals.NeedsApproval(request.Action.Value))
        {
            ChangeResult<SealTransitionRequest> requested = await approvals.RequestAsync(id, request.Action.Value, request.Reason, request.RfidTag, CallerScope.Of(user), cancellationToken);
            return requested.Status == ChangeStatus.Ok
                ? TypedResults.Accepted($"/api/seals/{id}/transition-requests", requested.Value)
                : Refused(requested);
        }

        ChangeResult<Seal> done = await seals.TransitionAsync(id, request.Action.Value, request.Reason, request.RfidTag, CallerScope.Of(user), cancellationToken);
        return done.Status == ChangeStatus.Ok ? TypedResults.Ok(done.Value) : Refused(done);
    }

    public static async Task<Results<Ok<SealTransitionRequest>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string id, long requestId, bool approve, DecisionRequest? request, TransitionApprovals approvals, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await approvals.DecideAsync(id, requestId, approve, request?.Comment, CallerScope.Of(user), cancellationToken));

    private static Results<Ok<Seal>, Accepted<SealTransitionRequest>, ValidationProblem, ProblemHttpResult> Refused<T>(ChangeResult<T> result) =>
        result.Status == ChangeStatus.Invalid
            ? TypedResults.ValidationProblem(result.Problems!)
            : TypedResults.Problem(OrganisationApi.ProblemOf(result.Status, result.Error!));

    public static async Task<Results<Ok<Seal>, ValidationProblem, ProblemHttpResult>> HandOverAsync(string id, HandOverRequest request, SealRegistry seals,
        [FromServices] IEnumerable<ISealLocationListener> listeners, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ChangeResult<Seal> result = await seals.HandOverAsync(id, request.Custodian, request.Reason, request.WithPerson, CallerScope.Of(user), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            foreach (ISealLocationListener listener in listeners)
            {
                await listener.LocationChangedAsync(id, cancellationToken); // e.g. the attendance board's live line
            }
        }

        return OrganisationApi.Ok(result);
    }

    public static async Task<Results<Ok<SealHold>, ValidationProblem, ProblemHttpResult>> SetEnabledAsync(
        string sealId, bool enabled, SealHoldRequest request, SealHolds holds, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["is required (1..200 characters): it is recorded in the ledger and sent to the device"] });
        }

        return OrganisationApi.Ok(await holds.SetEnabledAsync(sealId, enabled, request.Reason, OrganisationApi.Actor(user), cancellationToken));
    }
}

/// <summary><paramref name="Form"/>: physical (default), electronic (a key only) or both (a metal seal and its electronic twin).</summary>
public sealed record RegisterSealRequest(string? Id, string? Name, SealType? Type, string? UnitId, int? Level, string? Custodian, string? RfidTag, Electronic.SealForm? Form = null);

public sealed record TransitionRequest(SealAction? Action, string? Reason, string? RfidTag);

public sealed record DecisionRequest(string? Comment);

public sealed record StartInventoryRequest(string? UnitId);

public sealed record InventoryObservationRequest(string? Source, string[]? Tags);

public sealed record HandOverRequest(string? Custodian, string? Reason, bool WithPerson);

/// <summary>Why a seal is disabled or enabled remotely: recorded in the ledger and sent to the lock.</summary>
public sealed record SealHoldRequest(string? Reason);
