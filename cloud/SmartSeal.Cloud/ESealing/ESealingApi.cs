using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.ESealing;

/// <summary>
/// Sealing approved documents with an e-seal (the applicant, or an OA system with the applicant's
/// token), downloading the sealed file, and verifying any sealed PDF (no sign-in).
/// </summary>
public static class ESealingApi
{
    public static void MapESealingApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder applications = app.MapGroup("/api/applications/{id}").WithTags("E-sealing").RequireAuthorization();
        applications.MapPost("/e-seal", SealAsync)
            .WithSummary("Seals an approved electronic application's document: placement spots (page, x, y in points), everyPage and/or crossPage (骑缝章); PAdES B-T; at most the approved count, inside the window; optional pdfBase64 must hash to the approved document");
        applications.MapGet("/e-sealings", ListAsync).WithSummary("The sealings of the application, each with its ledger entry and download link");
        applications.MapPost("/e-sealings/{sealingId}/print", PrintAsync)
            .WithSummary("远程打印: sends numbered copies of a sealed document to a CUPS printer (body: copies, printer); each copy is its own job and ledger entry (e-print); more copies than approved is a 409 before anything prints");
        applications.MapGet("/e-prints", PrintsAsync).WithSummary("The printed copies of the application: copy number, printer, CUPS job, ledger entry");

        app.MapGet("/api/e-sealed/{sha256}", DownloadAsync).WithTags("E-sealing").RequireAuthorization()
            .WithSummary("A sealed PDF by its SHA-256: for its applicant and for whoever sees the seal");
        app.MapPost("/api/e-seals/verify", VerifyAsync).WithTags("E-sealing").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Verifies a sealed PDF (body: application/pdf): each signature, seal, certificate chain, time stamp, revocation at signing, changes after sealing, ledger entry; no sign-in");
    }

    public static async Task<Results<Ok<SealingRecord>, ProblemHttpResult>> SealAsync(string id, SealRequest request, ESealingService service, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        SealOutcome outcome = await service.SealAsync(id, request, OrganisationApi.Actor(user), cancellationToken);
        return outcome.Sealing is { } sealing ? TypedResults.Ok(sealing) : TypedResults.Problem(Problem(outcome.Status, outcome.Problem!));
    }

    public static async Task<Results<Ok<SealingRecord[]>, ProblemHttpResult>> ListAsync(string id, ESealingService service, SealRegistry seals, Applications.ApplicationDirectory applications,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        Applications.ApplicationRecord? application = (await applications.RecordsAsync([id], cancellationToken)).FirstOrDefault();
        if (application is null || (application.Applicant != OrganisationApi.Actor(user) && await seals.FindAsync(application.Content.SealId, CallerScope.Of(user), cancellationToken) is null))
        {
            return TypedResults.Problem(Problems.NotFound($"no application {id}"));
        }

        return TypedResults.Ok((await service.ListAsync(id, cancellationToken)).ToArray());
    }

    public static async Task<Results<Ok<PrintedCopy[]>, ProblemHttpResult>> PrintAsync(string id, string sealingId, PrintRequest request, ESealPrinting printing, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        PrintOutcome outcome = await printing.PrintAsync(id, sealingId, request, OrganisationApi.Actor(user), cancellationToken);
        return outcome.Problem is null
            ? TypedResults.Ok(outcome.Printed.ToArray())
            : TypedResults.Problem(outcome.Status == 502 ? new() { Status = 502, Title = "Printer failed", Detail = outcome.Problem, Type = "https://smartseal.dev/problems/printer" } : Problem(outcome.Status, outcome.Problem));
    }

    public static async Task<Results<Ok<PrintedCopy[]>, ProblemHttpResult>> PrintsAsync(string id, ESealPrinting printing, SealRegistry seals, Applications.ApplicationDirectory applications,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        Applications.ApplicationRecord? application = (await applications.RecordsAsync([id], cancellationToken)).FirstOrDefault();
        if (application is null || (application.Applicant != OrganisationApi.Actor(user) && await seals.FindAsync(application.Content.SealId, CallerScope.Of(user), cancellationToken) is null))
        {
            return TypedResults.Problem(Problems.NotFound($"no application {id}"));
        }

        return TypedResults.Ok((await printing.ListAsync(id, cancellationToken)).ToArray());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(string sha256, ESealingService service, SealedFiles files, SealRegistry seals,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        IReadOnlyList<SealingRecord> made = await service.BySealedFileAsync(sha256, cancellationToken);
        bool allowed = false;
        foreach (SealingRecord sealing in made)
        {
            allowed |= sealing.SealedBy == OrganisationApi.Actor(user) || await seals.FindAsync(sealing.SealId, CallerScope.Of(user), cancellationToken) is not null;
        }

        return allowed && await files.GetAsync(sha256, cancellationToken) is { } bytes
            ? TypedResults.File(bytes, "application/pdf", $"{sha256[..12]}.sealed.pdf")
            : TypedResults.Problem(Problems.NotFound($"no sealed file {sha256}"));
    }

    public static async Task<Results<Ok<VerificationReport>, ProblemHttpResult>> VerifyAsync(HttpRequest request, SealVerifier verifier, IOptions<ESealingOptions> options, CancellationToken cancellationToken)
    {
        long limit = options.Value.MaxDocumentBytes;
        if (request.ContentLength > limit)
        {
            return TypedResults.Problem(new() { Status = StatusCodes.Status413PayloadTooLarge, Title = "Too large", Detail = $"the document is larger than {limit} bytes" });
        }

        using var body = new MemoryStream();
        byte[] buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > limit)
            {
                return TypedResults.Problem(new() { Status = StatusCodes.Status413PayloadTooLarge, Title = "Too large", Detail = $"the document is larger than {limit} bytes" });
            }
        }

        byte[] pdf = body.ToArray();
        if (pdf.AsSpan(0, (int)Math.Min(pdf.Length, 1024)).IndexOf("%PDF-"u8) < 0)
        {
            return TypedResults.Problem(new() { Status = StatusCodes.Status400BadRequest, Title = "Not a PDF", Detail = "send the PDF as the request body (application/pdf)" });
        }

        return TypedResults.Ok(await verifier.VerifyAsync(pdf, cancellationToken));
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(int status, string detail) => status switch
    {
        404 => Problems.NotFound(detail),
        403 => Problems.Forbidden(detail),
        400 => new() { Status = 400, Title = "Bad request", Detail = detail, Type = "https://smartseal.dev/problems/bad-request" },
        _ => Problems.Conflict(detail),
    };
}
