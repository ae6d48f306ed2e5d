using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// <c>/api/ledger/{id}/evidence</c>: what backs a lock's ledger entry (approved page, photos, verdict,
/// after-stamp check), for auditors within their units, like the entry itself.
/// </summary>
public static class EvidenceApi
{
    public static void MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/ledger/{id:long}/evidence").WithTags("Ledger").RequireAuthorization(Policies.Auditor);
        group.MapGet("/", async Task<Results<Ok<EntryEvidence>, ProblemHttpResult>> (long id, LedgerQueries queries, LedgerReader reader, LedgerEvidence evidence, [FromServices] ILedgerScope scope, CancellationToken ct) =>
                await FindAsync(id, queries, reader, scope, ct) is { } entry
                    ? TypedResults.Ok(await evidence.ForAsync(entry, ct))
                    : TypedResults.Problem(Problems.NotFound($"no ledger entry {id}")))
            .WithSummary("The entry's evidence: chain position, approved page image, before/after photos (links with thumbnails), the verdict with reasons, the after-stamp check");
        group.MapGet("/page.png", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, LedgerQueries queries, LedgerReader reader, LedgerEvidence evidence, DocumentService documents, [FromServices] ILedgerScope scope, CancellationToken ct) =>
            {
                if (await FindAsync(id, queries, reader, scope, ct) is not { } entry)
                {
                    return TypedResults.Problem(Problems.NotFound($"no ledger entry {id}"));
                }

                byte[]? image = await PageImageAsync(entry, evidence, documents, ct);
                return image is null
                    ? TypedResults.Problem(Problems.NotFound($"ledger entry {id} names no approved page"))
                    : TypedResults.File(image, "image/png");
            })
            .WithSummary("The approved copy's page the entry's stamp was allowed on, as a PNG");
        group.MapGet("/difference.jpg", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, LedgerQueries queries, LedgerReader reader, LedgerEvidence evidence, [FromServices] ILedgerScope scope, CancellationToken ct) =>
                await FindAsync(id, queries, reader, scope, ct) is not { } entry
                    ? TypedResults.Problem(Problems.NotFound($"no ledger entry {id}"))
                    : await evidence.DifferenceImageAsync(entry, ct) is { } jpeg
                        ? TypedResults.File(jpeg, "image/jpeg")
                        : TypedResults.Problem(Problems.NotFound($"ledger entry {id} has no page-check evidence image")))
            .WithSummary("The page check's evidence: the before-photo rectified onto the approved page, ink the approved page lacks in red, ink it misses in blue, changed regions boxed");
    }

    /// <summary>The approved page of an entry (null when it names none); shared with the portal.</summary>
    public static async Task<byte[]?> PageImageAsync(StoredLedgerEntry entry, LedgerEvidence evidence, DocumentService documents, CancellationToken cancellationToken)
    {
        EntryEvidence found = await evidence.ForAsync(entry, cancellationToken, verifyChain: false);
        if (found.PageImageUrl is null || entry.ApplicationId is not { } applicationId)
        {
            return null;
        }

        DocumentResult<byte[]> image = await documents.PageImageAsync(applicationId, found.DocumentId!, found.Page!.Value, cancellationToken);
        return image.Value;
    }

    private static async Task<StoredLedgerEntry?> FindAsync(long id, LedgerQueries queries, LedgerReader reader, ILedgerScope scope, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry && await reader.CanReadChainAsync(scope, entry.SealId, cancellationToken) ? entry : null;
}
