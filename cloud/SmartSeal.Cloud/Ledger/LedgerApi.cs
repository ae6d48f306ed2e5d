using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Ledger;

/// <summary><c>/api/ledger</c>: search, entry detail, verification, checkpoints and the public key to check them.</summary>
public static class LedgerApi
{
    public static RouteGroupBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/ledger").WithTags("Ledger").RequireAuthorization(Policies.Auditor);
        group.MapGet("/", SearchAsync).WithSummary("Ledger entries, newest first (filters: seal, device, actor, application, kind, period; page with beforeId)");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One entry with its fields and chain position");
        group.MapGet("/verify", VerifyAsync).WithSummary("Verifies every chain (or one seal's) against hashes and signed checkpoints");
        group.MapGet("/checkpoints", CheckpointsAsync).WithSummary("Signed checkpoints over all chain heads");
        group.MapPost("/checkpoints", CreateCheckpointAsync).WithSummary("Makes a checkpoint now").RequireAuthorization(Policies.SysAdmin);
        group.MapGet("/public-key", (LedgerSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file")).WithSummary("The public key that checks checkpoint signatures");
        return group;
    }

    public static async Task<Results<Ok<LedgerEntryView[]>, ValidationProblem>> SearchAsync(
        LedgerQueries queries, string? seal, string? device, string? actor, string? application, string? kind, long? from, long? to, long? beforeId, int? limit, CancellationToken cancellationToken)
    {
        if (from is { } f && to is { } t && t < f)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["must not be before from"] });
        }

        if (limit is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1..1000"] });
        }

        var entries = await queries.SearchAsync(new LedgerSearch(seal, device, actor, application, kind, from, to, beforeId, limit ?? 100), cancellationToken);
        return TypedResults.Ok(entries.Select(LedgerEntryView.Of).ToArray());
    }

    public static async Task<Results<Ok<LedgerEntryView>, ProblemHttpResult>> GetAsync(long id, LedgerQueries queries, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry
            ? TypedResults.Ok(LedgerEntryView.Of(entry))
            : TypedResults.Problem(Problems.NotFound($"no ledger entry {id}"));

    public static async Task<Ok<LedgerVerification>> VerifyAsync(LedgerVerifier verifier, string? seal, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAsync(seal, cancellationToken));

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
