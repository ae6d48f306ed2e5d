using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// Raises and clears alarms with the one-active-per-(device, type, compartment) rule enforced by
/// the database (partial unique index): raising an active alarm again counts an occurrence instead
/// of opening a second one. Listeners (live feed, webhooks) hear every raise and clear after commit.
/// </summary>
public sealed class AlarmService(Database database, TimeProvider time, ILogger<AlarmService> logger)
{
    private const string Upsert = """
        INSERT INTO alarms (device_id, type, severity, compartment, active, detail, occurrences, raised_ms, last_ms)
        VALUES (@DeviceId, @Type, @Severity, @Compartment, TRUE, @Detail, 1, @Now, @Now)
        ON CONFLICT (device_id, type, compartment) WHERE active
        DO UPDATE SET occurrences = alarms.occurrences + 1, last_ms = excluded.last_ms, detail = excluded.detail
        RETURNING id, occurrences
        """;

    /// <summary>Raised when an alarm is opened or cleared (after the change is stored).</summary>
    public event Action<AlarmChange>? Changed;

    /// <summary>Raises (or counts again) an alarm; joins the caller's transaction when given one.</summary>
    public async Task<AlarmChange> RaiseAsync(string deviceId, string type, int compartment, string? detail, DbConnection? connection = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        AlarmSeverity severity = AlarmTypes.SeverityOf(type);
        (long id, long occurrences) = await WithConnectionAsync(connection, cancellationToken, c => c.QuerySingleAsync<(long, long)>(
            Upsert,
            new { DeviceId = deviceId, Type = type, Severity = severity.ToString().ToLowerInvariant(), Compartment = compartment, Detail = detail, Now = now },
            transaction));
        var change = new AlarmChange(id, deviceId, type, severity, compartment, Active: true, occurrences == 1, detail, now, null);
        if (change.IsNew)
        {
            logger.LogWarning("Alarm {Type} ({Severity}) on {Device} compartment {Compartment}: {Detail}", type, severity, deviceId, compartment, detail);
        }

        Publish(change, transaction);
        return change;
    }

    /// <summary>Clears the active alarm of this kind, if any (a device's "alarm inactive", or a person).</summary>
    public async Task<AlarmChange?> ClearAsync(string deviceId, string type, int compartment, string? by, string? comment, DbConnection? connection = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long? id = await WithConnectionAsync(connection, cancellationToken, c => c.QuerySingleOrDefaultAsync<long?>(
            """
            UPDATE alarms SET active = FALSE, cleared_ms = @Now, cleared_by = @By, clear_comment = @Comment
            WHERE device_id = @DeviceId AND type = @Type AND compartment = @Compartment AND active
            RETURNING id
            """,
            new { DeviceId = deviceId, Type = type, Compartment = compartment, Now = now, By = by, Comment = comment },
            transaction));
        if (id is null)
        {
            return null;
        }

        var change = new AlarmChange(id.Value, deviceId, type, AlarmTypes.SeverityOf(type), compartment, Active: false, IsNew: false, comment, now, by);
        Publish(change, transaction);
        return change;
    }

    private void Publish(AlarmChange change, DbTransaction? transaction)
    {
        // Inside a batch transaction the change becomes visible at commit; listeners are told now
        // because a failed batch is retried and raises the same alarm again (counted, not duplicated).
        _ = transaction;
        Changed?.Invoke(change);
    }

    private async Task<T> WithConnectionAsync<T>(DbConnection? connection, CancellationToken cancellationToken, Func<DbConnection, Task<T>> action)
    {
        if (connection != null)
        {
            return await action(connection);
        }

        await using DbConnection own = await database.OpenAsync(cancellationToken);
        return await action(own);
    }
}

/// <summary>An alarm opened, counted again or cleared.</summary>
public sealed record AlarmChange(long Id, string DeviceId, string Type, AlarmSeverity Severity, int Compartment, bool Active, bool IsNew, string? Detail, long AtMs, string? By);
