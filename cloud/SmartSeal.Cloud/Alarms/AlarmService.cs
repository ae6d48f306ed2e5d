using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Alarms.Webhooks;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// Raises, acknowledges and clears alarms with the one-active-per-(device, type, compartment) rule
/// enforced by the database (partial unique index): raising an active alarm again counts an
/// occurrence instead of opening a second one. Every change queues its webhook notifications in the
/// same transaction (the outbox), so a stored alarm is never left unannounced and a rolled-back one
/// is never announced; listeners (the live feed) hear every change as it is made.
/// </summary>
public sealed class AlarmService(Database database, WebhookOutbox outbox, TimeProvider time, ILogger<AlarmService> logger)
{
    private static readonly string Upsert = $"""
        INSERT INTO alarms (device_id, type, severity, compartment, active, detail, occurrences, raised_ms, last_ms)
        VALUES (@DeviceId, @Type, @Severity, @Compartment, TRUE, @Detail, 1, @Now, @Now)
        ON CONFLICT (device_id, type, compartment) WHERE active
        DO UPDATE SET occurrences = alarms.occurrences + 1, last_ms = excluded.last_ms, detail = excluded.detail
        RETURNING {AlarmRecord.Columns}
        """;

    /// <summary>Raised for every change, in the caller's flow (listeners must be quick and must not throw).</summary>
    public event Action<AlarmChange>? Changed;

    /// <summary>Raises (or counts again) an alarm; joins the caller's transaction when given one.</summary>
    public async Task<AlarmChange> RaiseAsync(string deviceId, string type, int compartment, string? detail, DbConnection? connection = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        long now = Now();
        AlarmSeverity severity = AlarmTypes.SeverityOf(type);
        AlarmChange change = await InTransactionAsync(connection, transaction, cancellationToken, async (c, tx) =>
        {
            AlarmRecord row = await c.QuerySingleAsync<AlarmRecord>(
                Upsert,
                new { DeviceId = deviceId, Type = type, Severity = severity.ToString().ToLowerInvariant(), Compartment = compartment, Detail = detail, Now = now },
                tx);
            AlarmChange raised = row.ToChange(row.Occurrences == 1 ? AlarmChangeKind.Raised : AlarmChangeKind.Repeated, now, by: null, comment: null);
            await outbox.EnqueueAsync(raised, c, tx);
            return raised;
        });
        if (change.IsNew)
        {
            logger.LogWarning("Alarm {Type} ({Severity}) on {Device} compartment {Compartment}: {Detail}", type, severity, deviceId, compartment, detail);
        }

        Publish(change);
        return change;
    }

    /// <summary>Clears the active alarm of this kind, if any (a device's "alarm inactive", or a rule).</summary>
    public async Task<AlarmChange?> ClearAsync(string deviceId, string type, int compartment, string? by, string? comment, DbConnection? connection = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        long now = Now();
        AlarmChange? change = await InTransactionAsync(connection, transaction, cancellationToken, (c, tx) => ClearWhereAsync(
            c, tx, "device_id = @DeviceId AND type = @Type AND compartment = @Compartment", new { DeviceId = deviceId, Type = type, Compartment = compartment, Now = now, By = by, Comment = comment }, now, by, comment));
        if (change != null)
        {
            Publish(change);
        }

        return change;
    }

    /// <summary>A person clears an alarm by id.</summary>
    public async Task<(AlarmActionResult Result, AlarmRecord? Alarm)> ClearByIdAsync(long id, string by, string? comment, CancellationToken cancellationToken = default)
    {
        long now = Now();
        AlarmChange? change = await InTransactionAsync(null, null, cancellationToken, (c, tx) => ClearWhereAsync(
            c, tx, "id = @Id", new { Id = id, Now = now, By = by, Comment = comment }, now, by, comment));
        return await OutcomeAsync(id, change, cancellationToken);
    }

    /// <summary>A person takes note of an alarm (once); it stays active until cleared.</summary>
    public async Task<(AlarmActionResult Result, AlarmRecord? Alarm)> AcknowledgeAsync(long id, string by, string? comment, CancellationToken cancellationToken = default)
    {
        long now = Now();
        AlarmChange? change = await InTransactionAsync(null, null, cancellationToken, async (c, tx) =>
        {
            AlarmRecord? row = await c.QuerySingleOrDefaultAsync<AlarmRecord>(
                $"UPDATE alarms SET acked_by = @By, acked_ms = @Now, ack_comment = @Comment WHERE id = @Id AND acked_ms IS NULL RETURNING {AlarmRecord.Columns}",
                new { Id = id, Now = now, By = by, Comment = comment },
                tx);
            if (row is null)
            {
                return null;
            }

            AlarmChange acknowledged = row.ToChange(AlarmChangeKind.Acknowledged, now, by, comment);
            await outbox.EnqueueAsync(acknowledged, c, tx);
            return acknowledged;
        });
        return await OutcomeAsync(id, change, cancellationToken);
    }

    public async Task<AlarmRecord?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AlarmRecord>($"SELECT {AlarmRecord.Columns} FROM alarms WHERE id = @id", new { id });
    }

    /// <summary>Alarms of the devices in <paramref name="scope"/>: active first, then the most recently raised; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AlarmRecord>> ListAsync(UnitScope scope, int limit, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(new { limit });
        string within = DevicesInScope.Condition(scope, parameters, "device_id");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AlarmRecord>(
            $"SELECT {AlarmRecord.Columns} FROM alarms WHERE {within} ORDER BY active DESC, raised_ms DESC, id DESC LIMIT @limit", parameters)).ToList();
    }

    /// <summary>Alarms raised in [<paramref name="fromMs"/>, <paramref name="toMs"/>) on <paramref name="deviceIds"/> (null: on any device, known or not).</summary>
    public async Task<IReadOnlyList<RaisedAlarm>> RaisedAsync(IReadOnlyCollection<string>? deviceIds, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        const string columns = "SELECT device_id AS DeviceId, type AS Type, raised_ms AS RaisedMs FROM alarms WHERE raised_ms >= @fromMs AND raised_ms < @toMs";
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return deviceIds is null
            ? (await connection.QueryAsync<RaisedAlarm>(new CommandDefinition(columns, new { fromMs, toMs }, cancellationToken: cancellationToken))).ToList()
            : await SqlList.QueryInChunksAsync<RaisedAlarm>(connection, $"{columns} AND device_id IN {{values}}", deviceIds, new { fromMs, toMs }, cancellationToken: cancellationToken);
    }

    private async Task<AlarmChange?> ClearWhereAsync(DbConnection connection, DbTransaction transaction, string where, object args, long now, string? by, string? comment)
    {
        AlarmRecord? row = await connection.QuerySingleOrDefaultAsync<AlarmRecord>(
            $"UPDATE alarms SET active = FALSE, cleared_ms = @Now, cleared_by = @By, clear_comment = @Comment WHERE {where} AND active RETURNING {AlarmRecord.Columns}",
            args,
            transaction);
        if (row is null)
        {
            return null;
        }

        AlarmChange cleared = row.ToChange(AlarmChangeKind.Cleared, now, by, comment);
        await outbox.EnqueueAsync(cleared, connection, transaction);
        logger.LogInformation("Alarm {Type} on {Device} cleared by {By}", row.Type, row.DeviceId, by);
        return cleared;
    }

    private async Task<(AlarmActionResult, AlarmRecord?)> OutcomeAsync(long id, AlarmChange? change, CancellationToken cancellationToken)
    {
        if (change != null)
        {
            Publish(change);
        }

        AlarmRecord? alarm = await FindAsync(id, cancellationToken);
        return (alarm is null ? AlarmActionResult.NotFound : change is null ? AlarmActionResult.Conflict : AlarmActionResult.Done, alarm);
    }

    private void Publish(AlarmChange change)
    {
        // Inside an ingest batch the change becomes visible at commit; listeners are told now
        // because a failed batch is retried and raises the same alarm again.
        Action<AlarmChange>? handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (Action<AlarmChange> handler in handlers.GetInvocationList().Cast<Action<AlarmChange>>())
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                logger.LogError(e, "An alarm listener failed on {Kind} {Type} of {Device}", change.Kind, change.Type, change.DeviceId);
            }
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs in the caller's transaction, or in an own connection and transaction committed here.</summary>
    private async Task<T> InTransactionAsync<T>(DbConnection? connection, DbTransaction? transaction, CancellationToken cancellationToken, Func<DbConnection, DbTransaction, Task<T>> action)
    {
        if (connection != null && transaction != null)
        {
            return await action(connection, transaction);
        }

        DbConnection? own = connection is null ? await database.OpenAsync(cancellationToken) : null;
        try
        {
            DbConnection c = connection ?? own!;
            await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken);
            T result = await action(c, tx);
            await tx.CommitAsync(cancellationToken);
            outbox.Wake(); // committed: the sender can see the new deliveries now
            return result;
        }
        finally
        {
            if (own != null)
            {
                await own.DisposeAsync();
            }
        }
    }
}

public enum AlarmActionResult
{
    Done,
    NotFound,

    /// <summary>Already cleared (clear) or already acknowledged (acknowledge).</summary>
    Conflict,
}
