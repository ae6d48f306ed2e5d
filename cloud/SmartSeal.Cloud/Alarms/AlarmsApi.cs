using System.Data.Common;
using System.Security.Claims;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Alarms.Webhooks;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// <c>/api/alarms</c>: list with filters and paging, one alarm, acknowledge and clear (by the signed-in
/// principal, with a comment), and the webhook deliveries of an alarm. Errors are RFC 7807 problem
/// details served as <c>application/problem+json</c>.
/// </summary>
public static class AlarmsApi
{
    public const int MaxPageSize = 500;
    public const int MaxCommentLength = 1000;

    public static RouteGroupBuilder MapAlarmsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/alarms").WithTags("Alarms").RequireAuthorization(Policies.Keeper)
            .RequireUnitAccess(ObjectKind.Alarm, "id");
        group.MapGet("/", ListAsync).WithSummary("Alarms of devices in the caller's units, newest first, filtered by active, device, type, severity and raise time (Unix ms)");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One alarm").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/acknowledge", AcknowledgeAsync).WithSummary("Takes note of an alarm (it stays active until cleared); 409 if already acknowledged")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/clear", ClearAsync).WithSummary("Clears an active alarm; 409 if it is not active")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithSummary("Webhook deliveries of an alarm's changes (pending, delivered, failed)").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<AlarmPage>, ValidationProblem>> ListAsync(
        Database database, UnitAuthority authority, ClaimsPrincipal user, bool? active, string? device, string? type, string? severity, long? from, long? to, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        AlarmSeverity? level = null;
        if (severity is { Length: > 0 })
        {
            if (Enum.TryParse(severity, ignoreCase: true, out AlarmSeverity parsed) && Enum.IsDefined(parsed))
            {
                level = parsed;
            }
            else
            {
                problems["severity"] = ["must be info, warning or critical"];
            }
        }

        if (from is { } f && to is { } t && t < f)
        {
            problems["to"] = ["must not be before from"];
        }

        int number = page ?? 1;
        int size = pageSize ?? 50;
        if (number < 1)
        {
            problems["page"] = ["must be 1 or more"];
        }

        if (size is < 1 or > MaxPageSize)
        {
            problems["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters();
        if (active is { } isActive)
        {
            where.Append(isActive ? " AND active" : " AND NOT active");
        }

        where.Append(" AND ").Append(DevicesInScope.Condition(await authority.ScopeAsync(user, UnitRight.Keep, cancellationToken), args, "device_id"));

        Filter(where, args, "device_id = @device", "device", device);
        Filter(where, args, "type = @type", "type", type);
        Filter(where, args, "severity = @severity", "severity", level?.ToString().ToLowerInvariant());
        if (from is not null)
        {
            where.Append(" AND raised_ms >= @from");
            args.Add("from", from);
        }

        if (to is not null)
        {
            where.Append(" AND raised_ms <= @to");
            args.Add("to", to);
        }

        args.Add("limit", size);
        args.Add("offset", (long)(number - 1) * size);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        long total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM alarms {where}", args);
        var items = await connection.QueryAsync<AlarmRecord>($"SELECT {AlarmRecord.Columns} FROM alarms {where} ORDER BY raised_ms DESC, id DESC LIMIT @limit OFFSET @offset", args);
        return TypedResults.Ok(new AlarmPage(items.ToArray(), number, size, total));
    }

    public static async Task<Results<Ok<AlarmRecord>, ProblemHttpResult>> GetAsync(long id, AlarmService alarms, CancellationToken cancellationToken) =>
        await alarms.FindAsync(id, cancellationToken) is { } alarm
            ? TypedResults.Ok(alarm)
            : TypedResults.Problem(Problems.NotFound($"no alarm {id}"));

    public static Task<Results<Ok<AlarmRecord>, ProblemHttpResult, ValidationProblem>> AcknowledgeAsync(
        long id, [FromBody] AlarmActionRequest? request, ClaimsPrincipal user, AlarmService alarms, CancellationToken cancellationToken) =>
        ActAsync(id, request, comment => alarms.AcknowledgeAsync(id, UserOf(user), comment, cancellationToken), alarm => $"alarm {id} was already acknowledged by {alarm.AckedBy}");

    public static Task<Results<Ok<AlarmRecord>, ProblemHttpResult, ValidationProblem>> ClearAsync(
        long id, [FromBody] AlarmActionRequest? request, ClaimsPrincipal user, AlarmService alarms, CancellationToken cancellationToken) =>
        ActAsync(id, request, comment => alarms.ClearByIdAsync(id, UserOf(user), comment, cancellationToken), alarm => $"alarm {id} is not active (cleared by {alarm.ClearedBy})");

    public static async Task<Results<Ok<WebhookDelivery[]>, ProblemHttpResult>> DeliveriesAsync(long id, AlarmService alarms, Database database, CancellationToken cancellationToken)
    {
        if (await alarms.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(Problems.NotFound($"no alarm {id}"));
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var deliveries = await connection.QueryAsync<WebhookDelivery>($"SELECT {WebhookDelivery.Columns} FROM alarm_deliveries WHERE alarm_id = @id ORDER BY id", new { id });
        return TypedResults.Ok(deliveries.ToArray());
    }

    /// <summary>Acknowledge and clear answer alike: validation problem, the alarm, 404, or 409 saying who got there first.</summary>
    private static async Task<Results<Ok<AlarmRecord>, ProblemHttpResult, ValidationProblem>> ActAsync(
        long id,
        AlarmActionRequest? request,
        Func<string?, Task<(AlarmActionResult Result, AlarmRecord? Alarm)>> act,
        Func<AlarmRecord, string> conflict)
    {
        if (Invalid(request) is { } problem)
        {
            return problem;
        }

        (AlarmActionResult result, AlarmRecord? alarm) = await act(request?.Comment);
        return result switch
        {
            AlarmActionResult.Done => TypedResults.Ok(alarm!),
            AlarmActionResult.NotFound => TypedResults.Problem(Problems.NotFound($"no alarm {id}")),
            _ => TypedResults.Problem(Problems.Conflict(conflict(alarm!))),
        };
    }

    private static ValidationProblem? Invalid(AlarmActionRequest? request) =>
        request?.Comment is { Length: > MaxCommentLength }
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["comment"] = [$"must be at most {MaxCommentLength} characters"] })
            : null;

    private static string UserOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static void Filter(StringBuilder where, DynamicParameters args, string condition, string name, string? value)
    {
        if (value is { Length: > 0 })
        {
            where.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
    }
}

/// <summary>Acknowledge or clear: an optional comment (at most 1000 characters).</summary>
public sealed record AlarmActionRequest(string? Comment);

public sealed record AlarmPage(AlarmRecord[] Items, int Page, int PageSize, long Total);
