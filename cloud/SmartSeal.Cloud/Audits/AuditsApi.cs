using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// <c>/api/audits</c>: auditors open audits of their units, tick the checklist, record findings,
/// assign rectification, accept or return answers, close, read scores and the report (CSV, PDF);
/// <c>/api/audits/rectifications</c> and <c>…/answer</c>: the keeper or head of the assigned unit answers.
/// Registration with it.
/// </summary>
public static class AuditsApi
{
    public static void AddAudits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => !o.Problems().Any(), "SmartSeal:Audits is not usable (sample size or points); see AuditOptions")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<AuditService>();
        builder.Services.AddSingleton<AuditReport>();
    }

    public static void MapAuditsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder audits = app.MapGroup("/api/audits").WithTags("Audits");
        audits.MapPost("", OpenAsync).RequireAuthorization(Policies.Auditor)
            .WithSummary("Open an audit of a period and units (auditor of every unit); the checklist is generated from a reproducible sample (seed) of the ledger, photo pairs and stocktakes");
        audits.MapGet("", ListAsync).RequireAuthorization(Policies.Auditor).WithSummary("The audits of the caller's units, newest first");
        audits.MapGet("/{id:long}", ReadAsync).RequireAuthorization(Policies.Auditor).WithSummary("An audit with its checklist and findings");
        audits.MapPost("/{id:long}/items/{itemId:long}/check", CheckAsync).RequireAuthorization(Policies.Auditor).WithSummary("Tick a checklist line: ok or finding, with a note");
        audits.MapPost("/{id:long}/findings", RecordAsync).RequireAuthorization(Policies.Auditor).WithSummary("Record a finding with its severity (minor 轻微, moderate 一般, severe 严重)");
        audits.MapPost("/{id:long}/findings/{findingId:long}/rectification", AssignAsync).RequireAuthorization(Policies.Auditor)
            .WithSummary("Assign rectification of a finding to a unit, with a deadline");
        audits.MapPost("/{id:long}/findings/{findingId:long}/answer", AnswerAsync).RequireAuthorization()
            .WithSummary("The assigned unit's keeper or head answers the rectification");
        audits.MapPost("/{id:long}/findings/{findingId:long}/review", ReviewAsync).RequireAuthorization(Policies.Auditor)
            .WithSummary("Accept the answer (the finding closes and never changes again) or return it with a note");
        audits.MapPost("/{id:long}/close", CloseAsync).RequireAuthorization(Policies.Auditor)
            .WithSummary("Close the audit (refused while a rectification is open); every finding becomes immutable");
        audits.MapGet("/{id:long}/scores", ScoresAsync).RequireAuthorization(Policies.Auditor).WithSummary("Each audited unit's evaluation score (考核): 100 minus the findings' points");
        audits.MapGet("/{id:long}/report.csv", CsvAsync).RequireAuthorization(Policies.Auditor).WithSummary("The report as CSV: scores, then findings");
        audits.MapGet("/{id:long}/report.pdf", PdfAsync).RequireAuthorization(Policies.Auditor).WithSummary("The report as PDF");
        audits.MapGet("/rectifications", RectificationsAsync).RequireAuthorization()
            .WithSummary("Findings assigned for rectification to the units where the caller is keeper or head (approver)");
    }

    public static async Task<Results<Created<Audit>, ValidationProblem, ProblemHttpResult>> OpenAsync(
        OpenAuditRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Created(await audits.OpenAsync(request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken), a => $"/api/audits/{a.Id}");

    public static async Task<Ok<IReadOnlyList<Audit>>> ListAsync(AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await audits.ListAsync(await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Ok<Audit>, ProblemHttpResult>> ReadAsync(long id, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await audits.ReadAsync(id, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken) is { } audit
            ? TypedResults.Ok(audit)
            : TypedResults.Problem(Problems.NotFound($"no audit {id}"));

    public static async Task<Results<Ok<AuditItem>, ValidationProblem, ProblemHttpResult>> CheckAsync(
        long id, long itemId, CheckItemRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await audits.CheckAsync(id, itemId, request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Created<AuditFinding>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        long id, RecordFindingRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Created(await audits.RecordAsync(id, request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken), f => $"/api/audits/{id}#finding-{f.Id}");

    public static async Task<Results<Ok<AuditFinding>, ValidationProblem, ProblemHttpResult>> AssignAsync(
        long id, long findingId, AssignRectificationRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await audits.AssignAsync(id, findingId, request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Ok<AuditFinding>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        long id, long findingId, AnswerRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await audits.AnswerAsync(id, findingId, request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Ok<AuditFinding>, ValidationProblem, ProblemHttpResult>> ReviewAsync(
        long id, long findingId, ReviewRequest request, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await audits.ReviewAsync(id, findingId, request, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Ok<Audit>, ValidationProblem, ProblemHttpResult>> CloseAsync(
        long id, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await audits.CloseAsync(id, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));

    public static async Task<Results<Ok<IReadOnlyList<UnitScore>>, ProblemHttpResult>> ScoresAsync(
        long id, AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await audits.ReadAsync(id, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken) is { } audit
            ? TypedResults.Ok(audits.Scores(audit))
            : TypedResults.Problem(Problems.NotFound($"no audit {id}"));

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> CsvAsync(
        long id, AuditService audits, AuditReport report, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await audits.ReadAsync(id, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken) is { } audit
            ? TypedResults.File(await report.CsvAsync(audit, cancellationToken), "text/csv; charset=utf-8", $"smartseal-audit-{id}.csv")
            : TypedResults.Problem(Problems.NotFound($"no audit {id}"));

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(
        long id, AuditService audits, AuditReport report, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await audits.ReadAsync(id, await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken) is { } audit
            ? TypedResults.File(await report.PdfAsync(audit, cancellationToken), "application/pdf", $"smartseal-audit-{id}.pdf")
            : TypedResults.Problem(Problems.NotFound($"no audit {id}"));

    public static async Task<Ok<IReadOnlyList<AuditFinding>>> RectificationsAsync(AuditService audits, OrgStore org, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await audits.RectificationsAsync(await AuditCaller.OfAsync(user, org, cancellationToken), cancellationToken));
}
