using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Ledger;

/// <summary><c>/api/ledger</c>: search, entry detail, verification, checkpoints and the public key to check them.</summary>
public static class LedgerApi
{
    public static RouteGroupBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/ledger").WithTags("Ledger").RequireAuthorization(Policies.Auditor);
        group.MapGet("/", SearchAsync).WithSummary("Ledger entries in the caller's units, newest first (filters: seal, unit, person, device, application, kind, from/to; page with beforeId = X-Next-Before-Id)");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One entry with its fields and chain position");
        group.MapGet("/verify", VerifyAsync).WithSummary("Verifies every chain (or one seal's) against hashes and signed checkpoints; witness=true also against the checkpoints in the witness outside the database");
        group.MapGet("/checkpoints", CheckpointsAsync).WithSummary("Signed checkpoints over all chain heads");
        group.MapPost("/checkpoints", CreateCheckpointAsync).WithSummary("Makes a checkpoint now").RequireAuthorization(Policies.SysAdmin);
        group.MapGet("/public-key", (LedgerSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file")).WithSummary("The public key that checks checkpoint signatures");
        group.MapPost("/timestamp", TimeStampAsync).Accepts<byte[]>(TimeStampQuery).Produces(StatusCodes.Status200OK, contentType: TimeStampReply)
            .WithSummary("The ledger's RFC 3161 time-stamping authority over HTTP (§3.4): a DER TimeStampReq in, a DER TimeStampResp out");
        group.MapGet("/timestamp/certificate", (LedgerTimeStampAuthority authority) => TypedResults.Text(authority.CertificatePem, "application/x-pem-file"))
            .WithSummary("The time-stamping authority's certificate that checks its tokens (openssl ts -verify -CAfile)");
        return group;
    }

    private const string TimeStampQuery = "application/timestamp-query";
    private const string TimeStampReply = "application/timestamp-reply";
    private const int MaxTimeStampQueryBytes = 16 * 1024; // a TimeStampReq is a few hundred bytes

    /// <summary>Newest first within the caller's read scope (<see cref="ILedgerScope"/>); the next page is <c>beforeId</c> = the header <c>X-Next-Before-Id</c>.</summary>
    public static async Task<Results<Ok<LedgerEntryView[]>, ValidationProblem>> SearchAsync(
        LedgerReader reader, [FromServices] ILedgerScope scope, HttpResponse response, string? seal, string? unit, string? person, string? device, string? actor, string? application, string? kind,
        long? from, long? to, long? beforeId, int? limit, CancellationToken cancellationToken)
    {
        var filter = new LedgerFilter(seal, unit, person ?? actor, device, application, kind, from, to);
        Dictionary<string, string[]> problems = filter.Problems();
        if (limit is < 1 or > 1000)
        {
            problems["limit"] = ["1..1000"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        int pageSize = limit ?? 100;
        var entries = await reader.SearchAsync(scope, filter, beforeId, pageSize, cancellationToken);
        if (entries.Count == pageSize)
        {
            response.Headers["X-Next-Before-Id"] = entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Ok(entries.Select(LedgerEntryView.Of).ToArray());
    }

    /// <summary>An entry outside the caller's scope is a 404, like one that does not exist.</summary>
    public static async Task<Results<Ok<LedgerEntryView>, ProblemHttpResult>> GetAsync(long id, LedgerQueries queries, LedgerReader reader, [FromServices] ILedgerScope scope, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry && await reader.CanReadChainAsync(scope, entry.SealId, cancellationToken)
            ? TypedResults.Ok(LedgerEntryView.Of(entry))
            : TypedResults.Problem(Problems.NotFound($"no ledger entry {id}"));

    /// <summary>
    /// Sysadmins verify everything; others one chain in their scope (404 otherwise), or all chains
    /// with the problems of chains outside their scope left out.
    /// </summary>
    public static async Task<Results<Ok<LedgerVerification>, ProblemHttpResult>> VerifyAsync(
        LedgerVerifier verifier, LedgerReader reader, LedgerWitnessing witnessing, [FromServices] ILedgerScope scope, string? seal, bool? witness, CancellationToken cancellationToken)
    {
        if (seal is not null && !await reader.CanReadChainAsync(scope, seal, cancellationToken))
        {
            return TypedResults.Problem(Problems.NotFound($"no ledger chain {seal} in your units"));
        }

        LedgerVerification result = witness == true ? await verifier.VerifyAsync(seal, witnessing, [], cancellationToken) : await verifier.VerifyAsync(seal, cancellationToken);
        if (scope.Everything || seal is not null)
        {
            return TypedResults.Ok(result);
        }

        var visible = new List<LedgerProblem>();
        foreach (LedgerProblem problem in result.Problems)
        {
            if (await reader.CanReadChainAsync(scope, problem.SealId, cancellationToken))
            {
                visible.Add(problem);
            }
        }

        return TypedResults.Ok(result with { Intact = visible.Count == 0, FirstProblem = visible.FirstOrDefault(), Problems = visible });
    }

    /// <summary>
    /// RFC 3161 §3.4: the body is the DER request; a request the authority refuses still gets a
    /// 200 with a TimeStampResp whose status says why, as the RFC asks. Not DER at all, or not
    /// the media type, is an HTTP problem.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> TimeStampAsync(HttpRequest request, LedgerTimeStampAuthority authority, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), TimeStampQuery, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType, Title = "Unsupported media type", Detail = $"send a DER TimeStampReq as {TimeStampQuery} (RFC 3161 §3.4)",
                Type = "https://smartseal.dev/problems/unsupported-media-type",
            });
        }

        using var body = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxTimeStampQueryBytes)
            {
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge, Title = "Request too large", Detail = $"a TimeStampReq is at most {MaxTimeStampQueryBytes} bytes here",
                    Type = "https://smartseal.dev/problems/too-large",
                });
            }

            body.Write(chunk, 0, read);
        }

        return TypedResults.File(authority.Respond(body.ToArray()), TimeStampReply);
    }

    public static async Task<Ok<LedgerCheckpoint[]>> CheckpointsAsync(LedgerCheckpoints checkpoints, CancellationToken cancellationToken) =>
        TypedResults.Ok((await checkpoints.ListAsync(cancellationToken)).ToArray());

    public static async Task<Created<LedgerCheckpoint>> CreateCheckpointAsync(LedgerCheckpoints checkpoints, CancellationToken cancellationToken)
    {
        LedgerCheckpoint checkpoint = (await checkpoints.CreateAsync(evenIfUnchanged: true, cancellationToken))!;
        return TypedResults.Created($"/api/ledger/checkpoints/{checkpoint.Id}", checkpoint);
    }
}

public sealed record LedgerEntryView(long Id, string SealId, long Seq, string Kind, long AtMs, long RecordedMs, string? DeviceId, string? Actor, string? ApplicationId,
    string? TokenId, IReadOnlyDictionary<string, string> Fields, string PrevHash, string Hash)
{
    public static LedgerEntryView Of(StoredLedgerEntry e) => new(e.Id, e.SealId, e.Seq, e.Kind, e.AtMs, e.RecordedMs, e.DeviceId, e.Actor, e.ApplicationId, e.TokenId,
        LedgerCanon.Fields(e.Payload), e.PrevHash, e.Hash);
}
