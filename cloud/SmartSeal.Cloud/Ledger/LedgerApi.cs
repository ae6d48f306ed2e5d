using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using SmartSeal.Cloud.Reports;
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
        group.MapGet("/verify", VerifyAsync).WithSummary("Verifies every chain (or one seal's) against hashes and signed checkpoints");
        group.MapGet("/checkpoints", CheckpointsAsync).WithSummary("Signed checkpoints over all chain heads");
        group.MapPost("/checkpoints", CreateCheckpointAsync).WithSummary("Makes a checkpoint now").RequireAuthorization(Policies.SysAdmin);
        group.MapGet("/public-key", (LedgerSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file")).WithSummary("The public key that checks checkpoint signatures");
        return group;
    }

    /// <summary>Newest first within the caller's read scope (Reports/LedgerReadScope); the next page is <c>beforeId</c> = the header <c>X-Next-Before-Id</c>.</summary>
    public static async Task<Results<Ok<LedgerEntryView[]>, ValidationProblem>> SearchAsync(
        LedgerReader reader, ClaimsPrincipal user, HttpResponse response, string? seal, string? unit, string? person, string? device, string? actor, string? application, string? kind,
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
        var entries = await reader.SearchAsync(LedgerReadScope.Of(user), filter, beforeId, pageSize, cancellationToken);
        if (entries.Count == pageSize)
        {
            response.Headers["X-Next-Before-Id"] = entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Ok(entries.Select(LedgerEntryView.Of).ToArray());
    }

    /// <summary>An entry outside the caller's scope is a 404, like one that does not exist.</summary>
    public static async Task<Results<Ok<LedgerEntryView>, ProblemHttpResult>> GetAsync(long id, LedgerQueries queries, LedgerReader reader, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry && await reader.CanReadChainAsync(LedgerReadScope.Of(user), entry.SealId, cancellationToken)
            ? TypedResults.Ok(LedgerEntryView.Of(entry))
            : TypedResults.Problem(Problems.NotFound($"no ledger entry {id}"));

    /// <summary>
    /// Sysadmins verify everything; others one chain in their scope (404 otherwise), or all chains
    /// with the problems of chains outside their scope left out.
    /// </summary>
    public static async Task<Results<Ok<LedgerVerification>, ProblemHttpResult>> VerifyAsync(LedgerVerifier verifier, LedgerReader reader, ClaimsPrincipal user, string? seal, CancellationToken cancellationToken)
    {
        LedgerReadScope scope = LedgerReadScope.Of(user);
        if (seal is not null && !await reader.CanReadChainAsync(scope, seal, cancellationToken))
        {
            return TypedResults.Problem(Problems.NotFound($"no ledger chain {seal} in your units"));
        }

        LedgerVerification result = await verifier.VerifyAsync(seal, cancellationToken);
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
