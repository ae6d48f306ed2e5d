using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// <c>/api/faces/{login}</c>: enrol (multipart photos), read, revoke — keepers of the person's
/// units and sysadmins. <c>/api/gates/{id}/cabinet</c>: which cabinet a gate serves (sysadmin).
/// <c>/api/gates/{id}/templates</c>: the gate's template set, for the gate itself only (request
/// signed with its device key, response MAC'd with it; see <see cref="DeviceRequestSignature"/>).
/// </summary>
public static class FacesApi
{
    public static RouteGroupBuilder MapFacesApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder faces = app.MapGroup("/api/faces").WithTags("Faces").RequireAuthorization(Policies.Keeper)
            .RequireUnitAccess(ObjectKind.User, "login");
        faces.MapPost("/{login}", EnrolAsync).DisableAntiforgery()
            .WithSummary("Enrols a person from 2..10 photos (multipart field 'photos'); each must show exactly one good face; replaces an earlier enrolment");
        faces.MapGet("/{login}", async Task<Results<Ok<FaceEnrolment>, ProblemHttpResult>> (string login, FaceEnrolmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            await service.FindAsync(login, CallerScope.Of(user), ct) is { } enrolment ? TypedResults.Ok(enrolment) : TypedResults.Problem(Problems.NotFound($"{login} has no active face enrolment")))
            .WithSummary("The person's active enrolment (recipe, template count, expiry); never the templates");
        faces.MapDelete("/{login}", async (string login, FaceEnrolmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            OrganisationApi.Ok(await service.RevokeAsync(login, CallerScope.Of(user), ct)))
            .WithSummary("Revokes the enrolment: the person's templates leave every gate at its next sync");

        RouteGroupBuilder gates = app.MapGroup("/api/gates").WithTags("Faces");
        gates.MapPut("/{id}/cabinet", async (string id, AssignCabinetRequest request, GateTemplateService service, ClaimsPrincipal user, CancellationToken ct) =>
            OrganisationApi.Ok(await service.AssignCabinetAsync(id, request.CabinetId, OrganisationApi.Actor(user), ct)))
            .RequireAuthorization(Policies.SysAdmin).WithSummary("Sets the cabinet the gate stands at");
        gates.MapGet("/{id}/templates", TemplatesAsync).AllowAnonymous()
            .WithSummary("For the gate itself (Authorization: SmartSeal-Device ...): the templates of the people who may collect at its cabinet");
        return faces;
    }

    public static async Task<Results<Created<EnrolmentResult>, ValidationProblem, ProblemHttpResult>> EnrolAsync(
        string login, HttpRequest request, FaceEnrolmentService service, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["photos"] = ["send multipart/form-data with the photos in field 'photos'"] });
        }

        IFormCollection form = await request.ReadFormAsync(cancellationToken);
        var photos = new List<EnrolmentPhoto>();
        foreach (IFormFile file in form.Files.GetFiles("photos"))
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            photos.Add(new EnrolmentPhoto(string.IsNullOrEmpty(file.FileName) ? $"photo {photos.Count + 1}" : file.FileName, buffer.ToArray()));
        }

        int? lifetimeDays = int.TryParse(form["lifetimeDays"], out int days) ? days : null;
        try
        {
            return OrganisationApi.Created(await service.EnrolAsync(login, photos, lifetimeDays, CallerScope.Of(user), cancellationToken), r => $"/api/faces/{r.Enrolment.Login}");
        }
        catch (SmartSeal.FaceRecognition.FaceModelException ex)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Face models unavailable", Detail = ex.Message });
        }
    }

    public static async Task<IResult> TemplatesAsync(string id, HttpContext context, DeviceCache devices, DeviceKeyring keys, GateTemplateService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var signature = DeviceRequestSignature.Parse(context.Request.Headers.Authorization.ToString());
        Device? gate = signature is { } s && s.DeviceId == id ? await devices.FindAsync(id, cancellationToken) : null;
        string path = context.Request.Path.Value ?? string.Empty;
        if (gate is not { Kind: DeviceKind.Gate, Retired: false }
            || !DeviceRequestSignature.Verify(keys.KeyFor(id, gate.KeyVersion), "GET", path, signature!.Value.TimeMs, signature.Value.Mac, time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = "sign the request with the gate's device key (SmartSeal-Device)" });
        }

        byte[] body = (await service.BuildSetAsync(id, cancellationToken)).ToJson();
        context.Response.Headers[DeviceRequestSignature.ResponseMacHeader] = DeviceRequestSignature.BodyMac(keys.KeyFor(id, gate.KeyVersion), body);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Bytes(body, "application/json");
    }
}

public sealed record AssignCabinetRequest(string? CabinetId);
