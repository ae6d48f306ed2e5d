using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Applications;

public sealed record StepDelegationRequest(string? ToLogin, string? Reason);

/// <summary>The follow-ups on a pending application, with the timeline they add to.</summary>
public sealed record FollowUps(IReadOnlyList<UrgeView> Urges, IReadOnlyList<StepDelegationView> Delegations, IReadOnlyList<EscalationView>? Escalations = null);

/// <summary>
/// <c>POST /api/applications/{id}/urge</c> (the applicant reminds the approvers of an overdue step),
/// <c>POST /api/approvals/{id}/delegate</c> (the approver holding the step hands it to a colleague),
/// <c>GET /api/applications/{id}/follow-ups</c> (both, for whoever may read the application).
/// </summary>
public static class FollowUpsApi
{
    public static void AddApplicationFollowUps(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ApplicationUrges>().AddSingleton<StepDelegations>();

    public static void MapApplicationFollowUpsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/applications/{id}/urge", async (string id, ApplicationUrges urges, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await urges.UrgeAsync(id, OrganisationApi.Actor(user), ct)))
            .WithTags("Applications").RequireAuthorization()
            .WithSummary("督促: the applicant reminds the approvers of the overdue current step (once per SmartSeal:Approvals:UrgeInterval); recorded and announced on the live feed (event urge)");
        app.MapPost("/api/approvals/{id}/delegate", async (string id, StepDelegationRequest request, StepDelegations delegations, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await delegations.DelegateAsync(id, OrganisationApi.Actor(user), request.ToLogin, request.Reason, ct)))
            .WithTags("Applications").RequireAuthorization()
            .WithSummary("转办: the approver holding the current step hands it to a colleague (an approver of the application's units), who may then decide it for them");
        app.MapGet("/api/applications/{id}/follow-ups", async Task<Results<Ok<FollowUps>, ProblemHttpResult>> (string id, ApplicationService applications, ApplicationUrges urges, StepDelegations delegations, ApprovalEscalations escalations, ClaimsPrincipal user, CancellationToken ct) =>
                await applications.FindAsync(id, CallerScope.Of(user), ct) is null
                    ? TypedResults.Problem(Problems.NotFound($"no application {id}"))
                    : TypedResults.Ok(new FollowUps(await urges.ListAsync(id, ct), await delegations.ListAsync(id, ct), await escalations.ListAsync(id, ct))))
            .WithTags("Applications").RequireAuthorization()
            .WithSummary("Urges, step delegations, reminders and escalations of an application, oldest first");
    }
}
