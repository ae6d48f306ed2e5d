using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// <c>/api/applications</c> (applicants: apply, follow, withdraw, resubmit) and <c>/api/approvals</c>
/// (approvers and their delegates: inbox, decide, overdue, lead times).
/// </summary>
public static class ApplicationsApi
{
    public static void MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder applications = app.MapGroup("/api/applications").WithTags("Applications").RequireAuthorization();
        applications.MapPost("/", async (ApplicationRequest request, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Created(await service.SubmitAsync(request, OrganisationApi.Actor(user), ct), a => $"/api/applications/{a.Id}"))
            .RequireAuthorization(Policies.Applicant)
            .WithSummary("Applies to use a seal: purpose, documents, stamps (1-10000), mode, optional location limit, time window, urgency");
        applications.MapGet("/mine", async (ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Ok((await service.MineAsync(OrganisationApi.Actor(user), ct)).ToArray()))
            .WithSummary("The caller's applications, newest first, each with its timeline and who holds it now");
        applications.MapGet("/{id}", async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> (string id, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                await service.FindAsync(id, CallerScope.Of(user), ct) is { } view ? TypedResults.Ok(view) : TypedResults.Problem(Problems.NotFound($"no application {id}")))
            .WithSummary("One application (for its applicant, its approvers and sysadmins)");
        applications.MapPost("/{id}/withdraw", async (string id, VersionRequest? request, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await service.WithdrawAsync(id, OrganisationApi.Actor(user), request?.Version, ct)))
            .WithSummary("The applicant takes a pending or returned application back");
        applications.MapPost("/{id}/resubmit", async (string id, ApplicationRequest? changes, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                OrganisationApi.Ok(await service.ResubmitAsync(id, OrganisationApi.Actor(user), changes, ct)))
            .WithSummary("Resubmits a returned application (optionally with changed content): a new round from the first step");

        RouteGroupBuilder approvals = app.MapGroup("/api/approvals").WithTags("Applications").RequireAuthorization();
        approvals.MapGet("/inbox", async (ApplicationService service, ClaimsPrincipal user, int? page, int? pageSize, CancellationToken ct) =>
                TypedResults.Ok(await service.InboxAsync(OrganisationApi.Actor(user), page ?? 1, pageSize ?? 50, ct)))
            .WithSummary("What the caller (and whoever delegated to them) holds now, most pressing first; paged (pageSize ≤ 200)");
        approvals.MapGet("/overdue", async (ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Ok(await service.OverdueAsync(OrganisationApi.Actor(user), user.IsInRole(Roles.SysAdmin) || user.IsInRole(Roles.Keeper), ct)))
            .WithSummary("Steps past their due time: the caller's own; all of them for keepers and sysadmins");
        approvals.MapGet("/lead-times", async (ApplicationService service, long? fromMs, long? toMs, CancellationToken ct) =>
                TypedResults.Ok(await service.LeadTimesAsync(fromMs ?? 0, toMs ?? long.MaxValue, ct)))
            .RequireAuthorization(Policies.Auditor)
            .WithSummary("Approval lead times (first submission → final decision) of applications decided in a period");
        approvals.MapPost("/{applicationId}/approve", (string applicationId, DecisionRequest? request, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(applicationId, Decision.Approve, request, service, user, ct))
            .WithSummary("Approves the caller's part of the current step (optional comment; optional version for optimistic concurrency)");
        approvals.MapPost("/{applicationId}/reject", (string applicationId, DecisionRequest? request, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(applicationId, Decision.Reject, request, service, user, ct))
            .WithSummary("Rejects the application; a reason (comment) is required");
        approvals.MapPost("/{applicationId}/return", (string applicationId, DecisionRequest? request, ApplicationService service, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(applicationId, Decision.Return, request, service, user, ct))
            .WithSummary("Returns the application to the applicant for changes; a reason (comment) is required");
        approvals.MapPost("/batch-approve", BatchApproveAsync).WithSummary("Approves several applications; one result per application (200, 403, 404 or 409)");
        app.MapApprovalRoutingApi();
    }

    private static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> DecideAsync(string id, Decision decision, DecisionRequest? request,
        ApplicationService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await service.DecideAsync(id, OrganisationApi.Actor(user), decision, request?.Comment, request?.Version, cancellationToken));

    private static async Task<Results<Ok<BatchItemResult[]>, ValidationProblem>> BatchApproveAsync(BatchApproveRequest request, ApplicationService service, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (request.ApplicationIds is not { Length: > 0 and <= 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["applicationIds"] = ["name 1 to 200 applications"] });
        }

        var results = new List<BatchItemResult>(request.ApplicationIds.Length);
        foreach (string id in request.ApplicationIds.Distinct())
        {
            ChangeResult<ApplicationView> result = await service.DecideAsync(id, OrganisationApi.Actor(user), Decision.Approve, request.Comment, null, cancellationToken);
            int status = result.Status switch
            {
                ChangeStatus.Ok => StatusCodes.Status200OK,
                ChangeStatus.NotFound => StatusCodes.Status404NotFound,
                ChangeStatus.Forbidden => StatusCodes.Status403Forbidden,
                ChangeStatus.Invalid => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            };
            results.Add(new BatchItemResult(id, status, result.Error, result.Value?.Status));
        }

        return TypedResults.Ok(results.ToArray());
    }
}

public sealed record DecisionRequest(string? Comment, long? Version);

public sealed record VersionRequest(long? Version);

public sealed record BatchApproveRequest(string[]? ApplicationIds, string? Comment);
