using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// <c>/api/applications/{id}/documents</c>: upload (multipart, field <c>file</c>, PDF, JPEG or PNG), list, page images, the
/// printable approved copy with page codes, and the verdicts given on page photos.
/// </summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder documents = app.MapGroup("/api/applications/{id}").WithTags("Documents").RequireAuthorization();
        documents.MapPost("/documents", UploadAsync)
            .DisableAntiforgery()
            .WithSummary("The applicant uploads a PDF, or a JPEG/PNG page (multipart field 'file') while the application is pending or returned; 413 above the size limit");
        documents.MapGet("/documents", async Task<Results<Ok<DocumentView[]>, ProblemHttpResult>> (string id, ApplicationService applications, DocumentService service, ClaimsPrincipal user, CancellationToken ct) =>
                await applications.FindAsync(id, CallerScope.Of(user), ct) is null
                    ? TypedResults.Problem(Problems.NotFound($"no application {id}"))
                    : TypedResults.Ok((await service.ListAsync(id, ct)).ToArray()))
            .WithSummary("The application's documents with their page counts");
        documents.MapGet("/documents/{docId}/approved-copy", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string id, string docId, ApplicationService applications, DocumentService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                if (await applications.FindAsync(id, CallerScope.Of(user), ct) is null)
                {
                    return TypedResults.Problem(Problems.NotFound($"no application {id}"));
                }

                DocumentResult<(string Name, byte[] Pdf)> copy = await service.ApprovedCopyAsync(id, docId, ct);
                return copy.Outcome == DocumentOutcome.Done
                    ? TypedResults.File(copy.Value.Pdf, "application/pdf", copy.Value.Name)
                    : TypedResults.Problem(Problem(copy.Outcome, copy.Problem!));
            })
            .WithSummary("The printable approved copy: the PDF with a page code (QR: application, document, page, MAC) in a free corner of each page");
        documents.MapGet("/document-verdicts", async Task<Results<Ok<VerdictRecord[]>, ProblemHttpResult>> (string id, ApplicationService applications, DocumentService service, ClaimsPrincipal user, CancellationToken ct) =>
                await applications.FindAsync(id, CallerScope.Of(user), ct) is null
                    ? TypedResults.Problem(Problems.NotFound($"no application {id}"))
                    : TypedResults.Ok((await service.VerdictsAsync(id, ct)).ToArray()))
            .WithSummary("Verdicts on photographed pages of this application, with their reasons and time taken");
        documents.MapGet("/stamp-evidence", async Task<Results<Ok<StampEvidenceRecord[]>, ProblemHttpResult>> (string id, ApplicationService applications, DocumentService service, ClaimsPrincipal user, CancellationToken ct) =>
                await applications.FindAsync(id, CallerScope.Of(user), ct) is null
                    ? TypedResults.Problem(Problems.NotFound($"no application {id}"))
                    : TypedResults.Ok((await service.StampEvidenceAsync(id, ct)).ToArray()))
            .WithSummary("After-stamp checks (after-photo vs before-photo: match, other-page, no-stamp, unreadable); flagged ones also raise stamp-evidence-mismatch");
        documents.MapGet("/documents/{docId}/pages/{page:int}/image", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string id, string docId, int page, ApplicationService applications, DocumentService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                if (await applications.FindAsync(id, CallerScope.Of(user), ct) is null)
                {
                    return TypedResults.Problem(Problems.NotFound($"no application {id}"));
                }

                DocumentResult<byte[]> image = await service.PageImageAsync(id, docId, page, ct);
                return image.Outcome == DocumentOutcome.Done ? TypedResults.File(image.Value!, "image/png") : TypedResults.Problem(Problem(image.Outcome, image.Problem!));
            })
            .WithSummary("A page as a PNG: of the approved copy (with its code) once approved, else of the upload (previews)");
        app.MapEvidenceApi();
    }

    private static async Task<Results<Created<DocumentView>, ProblemHttpResult>> UploadAsync(string id, HttpRequest request, DocumentService service, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        long limit = service.Options.MaxUploadBytes;
        if (request.ContentLength > limit)
        {
            return TypedResults.Problem(TooLarge(limit));
        }

        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(Problem(DocumentOutcome.Invalid, "send the PDF as multipart/form-data, field 'file'"));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = limit }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return TypedResults.Problem(TooLarge(limit)); // a body without Content-Length that grew past the limit
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return TypedResults.Problem(Problem(DocumentOutcome.Invalid, "no 'file' part in the form"));
        }

        if (file.Length > limit)
        {
            return TypedResults.Problem(TooLarge(limit));
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        DocumentResult<DocumentView> result = await service.UploadAsync(id, OrganisationApi.Actor(user), file.FileName, buffer.ToArray(), cancellationToken);
        return result.Outcome == DocumentOutcome.Done
            ? TypedResults.Created($"/api/applications/{id}/documents/{result.Value!.Id}", result.Value)
            : TypedResults.Problem(Problem(result.Outcome, result.Problem!));
    }

    private static ProblemDetails TooLarge(long limit) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Document too large",
        Detail = $"uploads are limited to {limit} bytes (SmartSeal:Documents:MaxUploadBytes)",
        Type = "https://smartseal.dev/problems/too-large",
    };

    private static ProblemDetails Problem(DocumentOutcome outcome, string detail) => outcome switch
    {
        DocumentOutcome.NotFound => Problems.NotFound(detail),
        DocumentOutcome.Conflict => Problems.Conflict(detail),
        DocumentOutcome.Forbidden => Problems.Forbidden(detail),
        _ => new() { Status = StatusCodes.Status400BadRequest, Title = "Unusable document", Detail = detail, Type = "https://smartseal.dev/problems/unusable-document" },
    };
}
