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
        group.MapPost("/impression-scans", UploadScanAsync).RequireAuthorization(Policies.Keeper).DisableAntiforgery()
            .Accepts<ImpressionScanForm>("multipart/form-data")
            .WithSummary("Scan of a legacy seal's impression (multipart: 'file' PNG or JPEG up to SmartSeal:ESeals:MaxImpressionScanBytes, optional 'widthMm'): cleaned to ink on transparency, kept with its SHA-256, becomes the impression; 415 not PNG/JPEG, 413 too large, 400 unusable, 409 frozen or revoked");
        group.MapGet("/impression-scans", ScansAsync).WithSummary("Every uploaded scan of the seal's impression, newest first (the current one has no replacedMs)");
        group.MapGet("/impression-scans/{scanId}/original", OriginalAsync).WithSummary("A scan exactly as the keeper uploaded it");
        group.MapPut("/impression", ChooseImpressionAsync).RequireAuthorization(Policies.Keeper)
            .WithSummary("Chooses the impression sealing uses: 'rendered' (drawn from the seal's text) or 'scan' (the current uploaded scan; 409 without one)");
        group.MapGet("/impression.svg", ImpressionSvgAsync).WithSummary("The impression sealing uses now, at its real size (SVG; a scan is embedded as a PNG)");

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

    public static async Task<Results<Created<ImpressionScanUpload>, ValidationProblem, ProblemHttpResult>> UploadScanAsync(
        string id, HttpRequest request, ImpressionScans scans, Microsoft.Extensions.Options.IOptions<ESealOptions> options, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        long limit = options.Value.MaxImpressionScanBytes;
        if (request.ContentLength > limit + (64 * 1024))
        {
            return TypedResults.Problem(ScanProblemOf(ScanProblem.TooLarge, $"the upload is larger than the {limit} bytes a scan may have (SmartSeal:ESeals:MaxImpressionScanBytes)"));
        }

        if (!request.HasFormContentType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["send multipart/form-data with the scan in field 'file'"] });
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = limit + 1 }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return TypedResults.Problem(ScanProblemOf(ScanProblem.TooLarge, $"a scan may have at most {limit} bytes (SmartSeal:ESeals:MaxImpressionScanBytes)"));
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["no 'file' part in the form"] });
        }

        double? widthMm = null;
        if (!string.IsNullOrWhiteSpace(form["widthMm"]))
        {
            if (!double.TryParse(form["widthMm"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double width))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["widthMm"] = ["a number of millimetres, e.g. 42"] });
            }

            widthMm = width;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            return OrganisationApi.Created(await scans.UploadAsync(id, buffer.ToArray(), widthMm, CallerScope.Of(user), cancellationToken), u => $"/api/seals/{id}/e-seal/impression-scans/{u.Scan.Id}/original");
        }
        catch (ImpressionScanException e)
        {
            return TypedResults.Problem(ScanProblemOf(e.Problem, e.Message));
        }
    }

    public static async Task<Results<Ok<ImpressionScanView[]>, ProblemHttpResult>> ScansAsync(string id, ImpressionScans scans, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await scans.ListAsync(id, CallerScope.Of(user), cancellationToken) is { } list ? TypedResults.Ok(list.ToArray()) : TypedResults.Problem(Problems.NotFound($"no e-seal {id}"));

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> OriginalAsync(string id, string scanId, ImpressionScans scans, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await scans.OriginalAsync(id, scanId, CallerScope.Of(user), cancellationToken) is { } original
            ? TypedResults.File(original.Bytes, original.ContentType)
            : TypedResults.Problem(Problems.NotFound($"no impression scan {scanId} of e-seal {id}"));

    public static async Task<Results<Ok<ESealView>, ValidationProblem, ProblemHttpResult>> ChooseImpressionAsync(
        string id, ImpressionChoice request, ImpressionScans scans, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        request.Source is { } source
            ? OrganisationApi.Ok(await scans.ChooseAsync(id, source, CallerScope.Of(user), cancellationToken))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["source"] = ["is required: rendered or scan"] });

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ImpressionSvgAsync(string id, ImpressionScans scans, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await scans.ImpressionOfAsync(id, CallerScope.Of(user), cancellationToken) is { } impression
            ? TypedResults.Text(impression.ToSvg(), "image/svg+xml")
            : TypedResults.Problem(Problems.NotFound($"no seal {id}"));

    private static Microsoft.AspNetCore.Mvc.ProblemDetails ScanProblemOf(ScanProblem problem, string detail) => problem switch
    {
        ScanProblem.TooLarge => new() { Status = StatusCodes.Status413PayloadTooLarge, Title = "Scan too large", Detail = detail, Type = "https://smartseal.dev/problems/too-large" },
        ScanProblem.UnsupportedType => new() { Status = StatusCodes.Status415UnsupportedMediaType, Title = "Not a PNG or JPEG", Detail = detail, Type = "https://smartseal.dev/problems/unsupported-image" },
        _ => new() { Status = StatusCodes.Status400BadRequest, Title = "Unusable scan", Detail = detail, Type = "https://smartseal.dev/problems/unusable-scan" },
    };
}

public sealed record ESealTransitionRequest(ESealAction? Action, string? Reason);

/// <summary>The upload form of an impression scan, as the OpenAPI document describes it (the endpoint reads the form itself, to check the size first).</summary>
public sealed record ImpressionScanForm(IFormFile File, double? WidthMm);

/// <summary>Which impression an e-seal seals with.</summary>
public sealed record ImpressionChoice(ImpressionSource? Source);
