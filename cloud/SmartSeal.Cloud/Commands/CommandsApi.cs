using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// <c>/api/devices/{id}/commands</c> (send by type, list, one), <c>/desired-state</c> (GET/PUT) and
/// remote <c>/disable</c> / <c>/enable</c>. Keeper of the device's unit (or sysadmin) for all of it.
/// </summary>
public static class CommandsApi
{
    /// <summary>The longest a caller may wait for a result in one request.</summary>
    public const int MaxWaitSeconds = 30;

    public static RouteGroupBuilder MapCommandsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/devices/{id}").WithTags("Commands").RequireAuthorization(Policies.Keeper)
            .RequireUnitAccess(ObjectKind.Device, "id");
        group.MapPost("/commands", SendAsync).WithSummary("Signs and sends a command (queued while the device is offline, at most ttlSeconds); ?wait=N waits up to N s for the result");
        group.MapGet("/commands", ListAsync).WithSummary("The device's commands, newest first");
        group.MapGet("/commands/{commandId}", GetAsync).WithSummary("One command and its result");
        group.MapGet("/desired-state", GetDesiredAsync).WithSummary("Desired state, the version the device applied, and how long it took");
        group.MapPut("/desired-state", PutDesiredAsync).WithSummary("Replaces the desired state (next version; published retained)");
        group.MapPost("/disable", (string id, RemoteStateRequest request, DesiredStateService states, ClaimsPrincipal user, CancellationToken ct) => SetEnabledAsync(id, false, request, states, user, ct))
            .WithSummary("Remote disable: desired state enabled=false (retained) plus an immediate set-state command");
        group.MapPost("/enable", (string id, RemoteStateRequest request, DesiredStateService states, ClaimsPrincipal user, CancellationToken ct) => SetEnabledAsync(id, true, request, states, user, ct))
            .WithSummary("Re-enables a device the same way");
        group.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Results<Accepted<CommandRecord>, Ok<CommandRecord>, ValidationProblem, ProblemHttpResult>> SendAsync(
        string id, SendCommandRequest request, int? wait, CommandService commands, DesiredStateService states, DeviceRepository devices,
        Security.DeviceKeyring keys, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (request.TtlSeconds is { } ttl && (ttl < 1 || ttl > CommandService.MaxTtl.TotalSeconds))
        {
            problems["ttlSeconds"] = [$"must be 1..{(int)CommandService.MaxTtl.TotalSeconds} (a device refuses commands that live longer than 24 h)"];
        }

        if (wait is < 0 or > MaxWaitSeconds)
        {
            problems["wait"] = [$"must be 0..{MaxWaitSeconds} seconds"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        Device? device = await devices.FindAsync(id, cancellationToken);
        if (device is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no device {id}"));
        }

        if (device.Retired)
        {
            return TypedResults.Problem(RetiredProblem(id));
        }

        MessageBody? body = CommandCatalog.Parse(request.Type, request.Body, device, keys.KeyFor(device.Id, device.KeyVersion), out problems);
        if (body is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        TimeSpan? lifetime = request.TtlSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        CommandRecord? command;
        if (body is SetStateBody set)
        {
            // set-state is the desired state's messenger: store the state first, then send it with that version.
            DesiredStateResult result = await states.SetEnabledAsync(id, set.Enabled, set.Reason, UserName(user), lifetime, cancellationToken);
            command = result.Command;
        }
        else
        {
            command = (await commands.SendAsync(id, body, UserName(user), lifetime, cancellationToken: cancellationToken)).Command;
        }

        if (command is null)
        {
            return TypedResults.Problem(RetiredProblem(id)); // retired between the check and the send
        }

        if (wait is > 0)
        {
            CommandRecord? settled = await commands.WaitForResultAsync(id, command.Id, TimeSpan.FromSeconds(wait.Value), cancellationToken);
            return TypedResults.Ok(settled ?? command);
        }

        return TypedResults.Accepted($"/api/devices/{id}/commands/{command.Id}", command);
    }

    public static async Task<Results<Ok<CommandRecord[]>, ProblemHttpResult, ValidationProblem>> ListAsync(
        string id, string? status, int? limit, CommandService commands, DeviceRepository devices, CancellationToken cancellationToken)
    {
        if (status != null && !CommandStatus.All.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"must be one of {string.Join(", ", CommandStatus.All)}"] });
        }

        if (limit is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be 1..1000"] });
        }

        if (await devices.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no device {id}"));
        }

        return TypedResults.Ok((await commands.ListAsync(id, status, limit ?? 100, cancellationToken)).ToArray());
    }

    public static async Task<Results<Ok<CommandRecord>, ProblemHttpResult>> GetAsync(string id, string commandId, CommandService commands, CancellationToken cancellationToken) =>
        await commands.FindAsync(id, commandId, cancellationToken) is { } command
            ? TypedResults.Ok(command)
            : TypedResults.Problem(Problems.NotFound($"no command {commandId} for device {id}"));

    public static async Task<Results<Ok<DesiredStateView>, ProblemHttpResult>> GetDesiredAsync(string id, DesiredStateService states, DeviceRepository devices, CancellationToken cancellationToken)
    {
        if (await devices.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no device {id}"));
        }

        return TypedResults.Ok(DesiredStateView.Of(id, await states.FindAsync(id, cancellationToken)));
    }

    public static async Task<Results<Ok<DesiredStateView>, ValidationProblem, ProblemHttpResult>> PutDesiredAsync(
        string id, PutDesiredStateRequest request, DesiredStateService states, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Enabled is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["enabled"] = ["is required"] });
        }

        if (request.Reason is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["at most 200 characters"] });
        }

        var values = new DesiredValues(request.Enabled.Value, request.Token, request.Revoked ?? []);
        DesiredStateResult result = await states.SetAsync(id, _ => values, request.Reason, UserName(user), cancellationToken);
        return result.Status switch
        {
            DesiredStateStatus.Ok => TypedResults.Ok(DesiredStateView.Of(id, result.State)),
            DesiredStateStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
            DesiredStateStatus.RetiredDevice => TypedResults.Problem(RetiredProblem(id)),
            _ => TypedResults.Problem(Problems.NotFound($"no device {id}")),
        };
    }

    public static async Task<Results<Accepted<RemoteStateResponse>, ValidationProblem, ProblemHttpResult>> SetEnabledAsync(
        string id, bool enabled, RemoteStateRequest request, DesiredStateService states, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["is required (1..200 characters): it is shown to the device's keepers and kept with the state"] });
        }

        if (request.TtlSeconds is { } ttl && (ttl < 1 || ttl > CommandService.MaxTtl.TotalSeconds))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ttlSeconds"] = [$"must be 1..{(int)CommandService.MaxTtl.TotalSeconds}"] });
        }

        DesiredStateResult result = await states.SetEnabledAsync(id, enabled, request.Reason, UserName(user), request.TtlSeconds is { } s ? TimeSpan.FromSeconds(s) : null, cancellationToken);
        return result.Status switch
        {
            DesiredStateStatus.Ok => TypedResults.Accepted($"/api/devices/{id}/desired-state", new RemoteStateResponse(DesiredStateView.Of(id, result.State), result.Command)),
            DesiredStateStatus.Invalid => TypedResults.ValidationProblem(result.Problems!),
            DesiredStateStatus.RetiredDevice => TypedResults.Problem(RetiredProblem(id)),
            _ => TypedResults.Problem(Problems.NotFound($"no device {id}")),
        };
    }

    private static ProblemDetails RetiredProblem(string id) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Device retired",
        Detail = $"device {id} is retired: it takes no commands and no desired state",
        Type = "https://smartseal.dev/problems/device-retired",
    };

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}

/// <summary>A command by protocol type; <c>body</c> uses the wire field names (e.g. <c>{"jtis":["tok-1"]}</c> for revoke-token).</summary>
public sealed record SendCommandRequest(string? Type, JsonElement? Body, int? TtlSeconds);

/// <summary>The whole desired state (PUT replaces it): enabled, the current use token (or none), revoked token ids.</summary>
public sealed record PutDesiredStateRequest(bool? Enabled, string? Token, string[]? Revoked, string? Reason);

public sealed record RemoteStateRequest(string? Reason, int? TtlSeconds);

public sealed record RemoteStateResponse(DesiredStateView DesiredState, CommandRecord? Command);

/// <summary>
/// A device's desired state for the portal: what it should be, what it applied and when, and the
/// time from the request to the device's acknowledgement (null until it acknowledged).
/// </summary>
public sealed record DesiredStateView(
    string DeviceId, long Version, bool Enabled, bool HasToken, string? TokenId, string[] Revoked, long? UpdatedMs, string? UpdatedBy, string? Reason,
    long AppliedVersion, long? AppliedMs, bool Acknowledged, long? AcknowledgedAfterMs)
{
    public static DesiredStateView Of(string deviceId, DesiredStateRecord? s) => s is null
        ? new(deviceId, 0, true, false, null, [], null, null, null, 0, null, false, null)
        : new(s.DeviceId, s.Version, s.Enabled, s.Token != null, TokenIdOf(s.Token), s.Revoked, s.UpdatedMs, s.UpdatedBy, s.Reason,
            s.AppliedVersion, s.AppliedMs, s.Acknowledged, s.Acknowledged ? s.AppliedMs - s.UpdatedMs : null);

    /// <summary>The token's <c>jti</c> (the token itself is a bearer credential and is not shown).</summary>
    private static string? TokenIdOf(string? token)
    {
        string[]? parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            byte[] payload = Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/').PadRight((parts[1].Length + 3) / 4 * 4, '='));
            using JsonDocument claims = JsonDocument.Parse(payload);
            return claims.RootElement.TryGetProperty("jti", out JsonElement jti) ? jti.GetString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
