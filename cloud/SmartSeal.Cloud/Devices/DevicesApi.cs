using System.Data.Common;
using System.Security.Claims;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Devices;

/// <summary><c>/api/devices</c>: the registry, provisioning (the key is shown once), key rotation, tracks.</summary>
public static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/devices").WithTags("Devices").RequireAuthorization(Policies.Keeper)
            .RequireUnitAccess(ObjectKind.Device, "id");
        group.MapGet("/", ListAsync).WithSummary("Devices of the caller's units (keeper), optionally by kind and presence");
        group.MapGet("/{id}", GetAsync).WithSummary("One device");
        group.MapPost("/", ProvisionAsync).WithSummary("Registers a device and returns its key and device.json once").RequireAuthorization(Policies.SysAdmin);
        group.MapPost("/{id}/rotate-key", RotateAsync).WithSummary("Moves a device to a new key version; returns the new key and device.json once").RequireAuthorization(Policies.SysAdmin);
        group.MapPost("/{id}/retire", RetireAsync).WithSummary("Retires a device for good: its logins and messages are refused, its session is dropped").RequireAuthorization(Policies.SysAdmin);
        group.MapGet("/{id}/track", TrackAsync).WithSummary("Positions of a device in a time range (device time, Unix ms)");
        return group;
    }

    public static async Task<Ok<DeviceView[]>> ListAsync(DeviceRepository devices, UnitAuthority authority, ClaimsPrincipal user, DeviceKind? kind, bool? online, CancellationToken cancellationToken)
    {
        UnitScope scope = await authority.ScopeAsync(user, UnitRight.Keep, cancellationToken);
        return TypedResults.Ok((await devices.ListAsync(kind, online, cancellationToken)).Where(d => scope.Contains(d.OrgUnit)).Select(DeviceView.Of).ToArray());
    }

    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> GetAsync(string id, DeviceRepository devices, CancellationToken cancellationToken) =>
        await devices.FindAsync(id, cancellationToken) is { } device
            ? TypedResults.Ok(DeviceView.Of(device))
            : TypedResults.Problem(Problems.NotFound($"no device {id}"));

    public static async Task<Results<Created<ProvisionedDevice>, ValidationProblem, ProblemHttpResult>> ProvisionAsync(
        ProvisionDeviceRequest request, DeviceProvisioner provisioner, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Kind))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["cabinet, lock or gate"] });
        }

        if (request.Broker is { } broker && DeviceProvisioner.BrokerProblem(request.Kind, broker) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["broker"] = [problem] });
        }

        ProvisionResult result = await provisioner.ProvisionAsync(new ProvisionRequest(request.DeviceId ?? string.Empty, request.Kind, request.Model, request.OrgUnit, request.Compartments), cancellationToken);
        return result.Status switch
        {
            ProvisionStatus.Ok => TypedResults.Created($"/api/devices/{result.Device!.Id}", ProvisionedDevice.Of(result, request.Broker)),
            ProvisionStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
            _ => TypedResults.Problem(Problems.Conflict(result.Error!)),
        };
    }

    public static async Task<Results<Ok<ProvisionedDevice>, ProblemHttpResult>> RotateAsync(
        string id, DeviceProvisioner provisioner, DeviceRepository devices, IDeviceKeyRotated keyRotated, [FromBody] BrokerEndpoint? broker, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (broker != null && await devices.FindAsync(id, cancellationToken) is { } device && DeviceProvisioner.BrokerProblem(device.Kind, broker) is { } problem)
        {
            return TypedResults.Problem(new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Invalid broker settings", Detail = problem });
        }

        ProvisionResult result = await provisioner.RotateKeyAsync(id, user.Identity?.Name ?? "anonymous", cancellationToken);
        if (result.Status != ProvisionStatus.Ok)
        {
            return TypedResults.Problem(Problems.NotFound(result.Error!));
        }

        // The retained desired state was signed with the old key: it is signed and retained again
        // now, so the device finds a state it can verify as soon as it has its new key.
        await keyRotated.KeyRotatedAsync(id, cancellationToken);
        return TypedResults.Ok(ProvisionedDevice.Of(result, broker));
    }

    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> RetireAsync(string id, DeviceProvisioner provisioner, DeviceRepository devices, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await provisioner.RetireAsync(id, user.Identity?.Name ?? "anonymous", cancellationToken) switch
        {
            RetireStatus.Retired => TypedResults.Ok(DeviceView.Of((await devices.FindAsync(id, cancellationToken))!)),
            RetireStatus.AlreadyRetired => TypedResults.Problem(Problems.Conflict($"device {id} was retired already")),
            _ => TypedResults.Problem(Problems.NotFound($"no device {id}")),
        };

    public static async Task<Results<Ok<TrackPoint[]>, ProblemHttpResult, ValidationProblem>> TrackAsync(
        string id, long? from, long? to, DeviceRepository devices, Database database, CancellationToken cancellationToken)
    {
        if (from is { } f && to is { } t && t < f)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["must not be before from"] });
        }

        if (await devices.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no device {id}"));
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var points = await connection.QueryAsync<TrackRow>(
            """
            SELECT seq AS Seq, device_ms AS DeviceMs, server_ms AS ServerMs, lat_e7 AS LatE7, lon_e7 AS LonE7, accuracy_m AS AccuracyM, moving AS Moving, future AS Future
            FROM positions WHERE device_id = @id AND device_ms >= @from AND device_ms <= @to
            ORDER BY device_ms LIMIT 10000
            """,
            new { id, from = from ?? 0, to = to ?? long.MaxValue });
        return TypedResults.Ok(points.Select(p => p.ToPoint()).ToArray());
    }

    /// <summary>Dapper maps columns onto this (SQLite hands back every integer and boolean as Int64).</summary>
    private sealed class TrackRow
    {
        public long Seq { get; set; }

        public long DeviceMs { get; set; }

        public long ServerMs { get; set; }

        public long LatE7 { get; set; }

        public long LonE7 { get; set; }

        public long AccuracyM { get; set; }

        public bool Moving { get; set; }

        public bool Future { get; set; }

        public TrackPoint ToPoint() => new(Seq, DeviceMs, ServerMs, (int)LatE7, (int)LonE7, (int)AccuracyM, Moving, Future);
    }
}

public sealed record ProvisionDeviceRequest(string? DeviceId, DeviceKind Kind, string? Model, string? OrgUnit, int Compartments, BrokerEndpoint? Broker);

public sealed record DeviceView(string Id, string Kind, int KeyVersion, string? Model, string? Firmware, string? OrgUnit, int Compartments, bool Online, string? StatusReason,
    long LastSeenMs, int? BatteryPercent, double? Latitude, double? Longitude, int? AccuracyM, long? LastFixMs, bool Retired)
{
    public static DeviceView Of(Device d) => new(d.Id, d.Kind.ToString().ToLowerInvariant(), d.KeyVersion, d.Model, d.Firmware, d.OrgUnit, d.Compartments, d.Online, d.StatusReason,
        d.LastSeenMs, d.BatteryPercent, d.LastLatE7 / 1e7, d.LastLonE7 / 1e7, d.LastAccuracyM, d.LastFixMs, d.Retired);
}

/// <summary>The one response that carries a device key: keep it secret, flash it, delete it.</summary>
/// <param name="KeyBase64">The same key as IoT Hub's registry wants it (symmetric key, base64), for the IoT Hub profile.</param>
public sealed record ProvisionedDevice(DeviceView Device, string KeyHex, string KeyBase64, string DeviceJson)
{
    public static ProvisionedDevice Of(ProvisionResult result, BrokerEndpoint? broker) => new(
        DeviceView.Of(result.Device!),
        Convert.ToHexString(result.Key!).ToLowerInvariant(),
        Convert.ToBase64String(result.Key!),
        Encoding.UTF8.GetString(DeviceProvisioner.ProvisioningFileFor(result.Device!, result.Key!, broker ?? new BrokerEndpoint("127.0.0.1", 1883))));
}

public sealed record TrackPoint(long Seq, long DeviceMs, long ServerMs, int LatE7, int LonE7, int AccuracyM, bool Moving, bool Future);
