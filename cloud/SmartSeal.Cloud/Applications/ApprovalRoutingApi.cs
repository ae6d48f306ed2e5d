using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// <c>/api/approval-chains</c> (keepers configure chains and preview who would approve) and
/// <c>/api/seal-scopes</c> (keepers set a seal's scope of authority, which applying enforces).
/// </summary>
public static class ApprovalRoutingApi
{
    public static void MapApprovalRoutingApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder chains = app.MapGroup("/api/approval-chains").WithTags("Approval routing").RequireAuthorization(Policies.Keeper);
        chains.MapGet("/", async (ApprovalChains store, CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).ToArray()))
            .WithSummary("The chains keepers configured, in the order they are tried (then the configuration file's, then the default)");
        chains.MapPut("/{name}", async (string name, ChainDefinition? chain, ApprovalChains store, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await store.SaveAsync(name, chain, CallerScope.Of(user), ct)))
            .WithSummary("Stores a chain: which applications it serves and its steps (role, post up the unit tree, fixed unit, countersign); empty, cyclic or unroutable chains are refused");
        chains.MapDelete("/{name}", async (string name, ApprovalChains store, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await store.DeleteAsync(name, CallerScope.Of(user), ct)))
            .WithSummary("Removes a chain (applications already routed keep their steps)");
        chains.MapPost("/preview", async (ChainPreviewRequest request, ApplicationService applications, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await applications.PreviewAsync(request.ToApplication(), request.Applicant ?? string.Empty, CallerScope.Of(user), ct)))
            .WithSummary("Who would approve an application of this applicant for this seal (category, amount, documents) if made now");

        RouteGroupBuilder scopes = app.MapGroup("/api/seal-scopes").WithTags("Approval routing").RequireAuthorization();
        scopes.MapGet("/{sealId}", async Task<Results<Ok<SealScope>, ProblemHttpResult>> (string sealId, SealScopes store, CancellationToken ct) =>
                await store.FindAsync(sealId, ct) is { } scope ? TypedResults.Ok(scope) : TypedResults.Problem(Problems.NotFound($"seal {sealId} has no scope set: it serves any purpose")))
            .WithSummary("A seal's scope of authority: purposes, document types, who may apply, whether an authorisation document admits other uses");
        scopes.MapPut("/{sealId}", async (string sealId, SealScopeRequest request, SealScopes store, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await store.SaveAsync(sealId, request, CallerScope.Of(user), ct)))
            .RequireAuthorization(Policies.Keeper)
            .WithSummary("Sets a seal's scope of authority; applications outside it are refused with the reason");
    }
}

/// <summary>The body of a chain preview: whose application, for which seal and use.</summary>
public sealed record ChainPreviewRequest(string? Applicant, string? SealId, string? Category, long? Amount, ApplicationDocument[]? Documents, string? Authorisation, Urgency? Urgency)
{
    public ApplicationRequest ToApplication() => new(SealId, null, Documents, null, null, null, null, null, Urgency, Category, Amount, Authorisation);
}
