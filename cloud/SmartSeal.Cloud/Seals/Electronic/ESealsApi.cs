using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>
/// <c>/api/seals/{id}/e-seal</c>: the electronic form of a register seal (keepers make and manage
/// it; everyone who sees the seal sees it), and <c>/api/e-seals/ca</c>: the development CA's
/// chain and CRL, open to anyone who must verify a sealed document.
/// </summary>
public static class ESealsApi
{
    public static void MapESealsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/seals/{id}/e-seal").WithTags("E-seals").RequireAuthorization();
        group.MapGet("/", GetAsync).WithSummary("The seal's electronic form: state, certificate serial and expiry, allowed actions");
        group.MapPost("/", AddTwinAsync).RequireAuthorization(Policies.Keeper)
            .WithSummary("申请制作: gives a physical seal its electronic twin (same name, unit, type, level, keeper); state requested");
        group.MapPost("/transitions", TransitionAsync).RequireAuthorization(Policies.Keeper)
            .WithSummary("E-seal lifecycle: make (key on the token + certificate), record (备案), change (new key and certificate), freeze, unfreeze, revoke (CRL); 409 names the allowed ones");
        group.MapGet("/certificate", CertificateAsync).WithSummary("The seal certificate and its CA chain (PEM)");

        RouteGroupBuilder ca = app.MapGroup("/api/e-seals/ca").WithTags("E-seals").AllowAnonymous();
        ca.MapGet("/crl", async (ESealRegister register, CancellationToken ct) => TypedResults.File(await register.CrlAsync(ct), "application/pkix-crl", "e-seal-ca.crl"))
            .WithSummary("The issuing CA's certificate revocation list (DER); no sign-in: relying parties fetch it");
        ca.MapGet("/chain", (SealCertificateAuthority authority) => TypedResults.Text(authority.ChainPem, "application/x-pem-file"))
            .WithSummary("The issuing and root CA certificates (PEM) a verifier trusts; no sign-in");
    }

    public static async Task<Results<Ok<ESealView>, ProblemHttpResult>> GetAsync(string id, ESealRegister register, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await register.FindAsync(id, CallerScope.Of(user), cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.Problem(Problems.NotFound($"no e-seal {id}"));

    public static async Task<Results<Created<ESealView>, ValidationProblem, ProblemHttpResult>> AddTwinAsync(string id, ESealRegister register, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Created(await register.AddTwinAsync(id, CallerScope.Of(user), cancellationToken), v => $"/api/seals/{v.Seal.Id}/e-seal");

    public static async Task<Results<Ok<ESealView>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        string id, ESealTransitionRequest request, ESealRegister register, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Action is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["action"] = ["is required: " + string.Join(", ", Enum.GetValues<ESealAction>().Select(Kebab.Of))] });
        }

        return OrganisationApi.Ok(await register.TransitionAsync(id, request.Action.Value, request.Reason, CallerScope.Of(user), cancellationToken));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> CertificateAsync(string id, ESealRegister register, SealCertificateAuthority authority, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await register.FindAsync(id, CallerScope.Of(user), cancellationToken) is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no e-seal {id}"));
        }

        using var certificate = await register.CertificateAsync(id, cancellationToken);
        return certificate is null
            ? TypedResults.Problem(Problems.NotFound($"e-seal {id} has no certificate yet (make it first)"))
            : TypedResults.Text(certificate.ExportCertificatePem() + "\n" + authority.ChainPem, "application/x-pem-file");
    }
}

public sealed record ESealTransitionRequest(ESealAction? Action, string? Reason);
