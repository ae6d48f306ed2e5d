using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Commands;

public enum DesiredStateStatus
{
    Ok,
    UnknownDevice,
    RetiredDevice,
    Invalid,
}

/// <summary>The outcome of a desired-state change: the stored state, or why not, and for remote disable/enable the set-state command.</summary>
public sealed record DesiredStateResult(DesiredStateStatus Status, DesiredStateRecord? State, CommandRecord? Command = null, IDictionary<string, string[]>? Problems = null);

/// <summary>
/// The retained, signed desired state per device (what it applies first after every reconnect,
/// hardware-docs/adr/0002): enabled flag, current use token, revoked token ids, and a version
/// that only increases. Every change bumps the version in the database (optimistic, so two
/// instances never store the same version twice) and publishes the newest stored state, retained.
/// The embedded broker keeps retained messages in memory only, so <see cref="DesiredStateRepublisher"/>
/// publishes every device's state again at start. Remote disable/enable = a new desired state plus
/// an immediate <c>set-state</c> command with the same version: an online device applies it at once,
/// an offline one on reconnect (from the retained state, before any command).
/// </summary>
public sealed class DesiredStateService
{
    private readonly Database _database;
    private readonly DeviceRepository _devices;
    private readonly DeviceKeyring _keys;
    private readonly IDeviceBroker _broker;
    private readonly CommandService _commands;
    private readonly CommandSignals _signals;
    private readonly Ledger.LedgerService _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<DesiredStateService> _logger;
    private readonly DeviceLocks _locks = new();

    public DesiredStateService(
        Database database,
        DeviceRepository devices,
        DeviceKeyring keys,
        IDeviceBroker broker,
        CommandService commands,
        CommandSignals signals,
        DeviceEventFeed feed,
        Ledger.LedgerService ledger,
        TimeProvider time,
        ILogger<DesiredStateService> logger)
    {
        _database = database;
        _devices = devices;
        _keys = keys;
        _broker = broker;
        _commands = commands;
        _signals = signals;
        _ledger = ledger;
        _time = time;
        _logger = logger;
        _signals.SignalOnStored<StateAppliedBody>(feed);
    }

    /// <summary>The stored desired state, or null when none was ever set (the device then runs enabled, version 0).</summary>
    public async Task<DesiredStateRecord?> FindAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, deviceId);
    }

    /// <summary>The stored desired state as the caller's transaction sees it (a bind checks the lock is not disabled in its own transaction).</summary>
    public Task<DesiredStateRecord?> FindAsync(string deviceId, DbConnection connection, DbTransaction? transaction) => FindAsync(connection, transaction, deviceId);

    /// <summary>Stores <paramref name="change"/> applied to the current state as the next version and publishes it retained.</summary>
    public async Task<DesiredStateResult> SetAsync(string deviceId, Func<DesiredValues, DesiredValues> change, string? reason, string? by, CancellationToken cancellationToken = default)
    {
        Device? device = await _devices.FindAsync(deviceId, cancellationToken);
        if (device is null)
        {
            return new DesiredStateResult(DesiredStateStatus.UnknownDevice, null);
        }

        if (device.Retired)
        {
            return new DesiredStateResult(DesiredStateStatus.RetiredDevice, null);
        }

        DesiredStateRecord? stored = null;
        for (int attempt = 0; stored is null; attempt++)
        {
            await using DbConnection connection = await _database.OpenAsync(cancellationToken);
            await using DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken);
            DesiredStateRecord? current = await FindAsync(connection, tx, deviceId);
            DesiredValues next = change(current is null ? new DesiredValues(true, null, []) : DesiredValues.Of(current));
            IDictionary<string, string[]> problems = Validate(device, next);
            if (problems.Count > 0)
            {
                return new DesiredStateResult(DesiredStateStatus.Invalid, null, Problems: problems);
            }

            long version = (current?.Version ?? 0) + 1;
            var row = new
            {
                deviceId, version, previous = current?.Version ?? 0, next.Enabled, next.Token,
                revoked = next.Revoked.Length == 0 ? null : System.Text.Json.JsonSerializer.Serialize(next.Revoked),
                now = _time.GetUtcNow().ToUnixTimeMilliseconds(), by, reason,
            };
            int rows = current is null
                ? await connection.ExecuteAsync(
                    """
                    INSERT INTO desired_states (device_id, version, enabled, token, revoked, updated_ms, updated_by, reason)
                    VALUES (@deviceId, @version, @Enabled, @Token, @revoked, @now, @by, @reason)
                    ON CONFLICT (device_id) DO NOTHING
                    """,
                    row,
                    tx)
                : await connection.ExecuteAsync(
                    """
                    UPDATE desired_states SET version = @version, enabled = @Enabled, token = @Token, revoked = @revoked,
                        updated_ms = @now, updated_by = @by, reason = @reason
                    WHERE device_id = @deviceId AND version = @previous
                    """,
                    row,
                    tx);
            if (rows == 0)
            {
                // Someone else (another request or instance) stored a version first: apply the change to theirs.
                if (attempt >= 10)
                {
                    throw new InvalidOperationException($"desired state of {deviceId} keeps changing under us");
                }

                continue;
            }

            // A remote disable or enable is ledgered on the device's chain (its acknowledgement follows
            // when the device applies it: DeviceReportHandler).
            if (current is null ? !next.Enabled : current.Enabled != next.Enabled)
            {
                await connection.ExecuteAsync(
                    "UPDATE desired_states SET flag_version = @version, flag_changed_ms = @now, flag_applied_ms = NULL WHERE device_id = @deviceId",
                    new { deviceId, version, row.now }, tx);
                await _ledger.AppendAsync([RemoteStateLedger.Changed(deviceId, next.Enabled, version, reason, by, row.now)], connection, tx, cancellationToken);
            }

            // Queued set-state commands are history now; the new state reaches the device retained.
            await connection.ExecuteAsync(
                "UPDATE commands SET status = @superseded, completed_ms = @now WHERE device_id = @deviceId AND type = @type AND status = @queued",
                new { deviceId, row.now, superseded = CommandStatus.Superseded, type = MessageTypes.SetState, queued = CommandStatus.Queued },
                tx);
            await tx.CommitAsync(cancellationToken);
            stored = await FindAsync(connection, null, deviceId);
        }

        _logger.LogInformation("Desired state of {Device} is now v{Version} ({State}) by {By}: {Reason}", deviceId, stored.Version, stored.Enabled ? "enabled" : "disabled", by, reason);
        await PublishAsync(deviceId, cancellationToken);
        return new DesiredStateResult(DesiredStateStatus.Ok, stored);
    }

    /// <summary>
    /// Remote disable (or enable): the desired state with the flag, published retained, and at once
    /// a <c>set-state</c> command carrying the same version (queued with the TTL while the device is offline).
    /// </summary>
    public async Task<DesiredStateResult> SetEnabledAsync(string deviceId, bool enabled, string? reason, string? by, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        DesiredStateResult result = await SetAsync(deviceId, v => v with { Enabled = enabled }, reason, by, cancellationToken);
        if (result.Status != DesiredStateStatus.Ok)
        {
            return result;
        }

        var body = new SetStateBody { Enabled = enabled, Version = result.State!.Version, Reason = reason };
        CommandSendResult sent = await _commands.SendAsync(deviceId, body, by, ttl, result.State.Version, cancellationToken);
        return result with { Command = sent.Command };
    }

    /// <summary>Publishes the newest stored desired state of a device, signed and retained (nothing when none was set).</summary>
    public async Task<bool> PublishAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        // Serialised per device and always the newest stored version: concurrent changes can never
        // leave an older state as the retained one.
        using IDisposable held = await _locks.AcquireAsync(deviceId, cancellationToken);
        Device? device = await _devices.FindAsync(deviceId, cancellationToken);
        DesiredStateRecord? state = await FindAsync(deviceId, cancellationToken);
        if (device is null || device.Retired || state is null)
        {
            return false;
        }

        byte[] payload = DeviceEnvelopes.DesiredState(deviceId, _keys.KeyFor(deviceId, device.KeyVersion), ToBody(state), state.UpdatedMs);
        await _broker.PublishAsync(DeviceTopics.For(deviceId, TopicKind.DesiredState), payload, retain: true, cancellationToken);
        return true;
    }

    /// <summary>Publishes every active device's desired state again (at start: the embedded broker forgot its retained messages).</summary>
    public async Task<int> RepublishAllAsync(CancellationToken cancellationToken = default)
    {
        List<string> ids;
        await using (DbConnection connection = await _database.OpenAsync(cancellationToken))
        {
            ids = (await connection.QueryAsync<string>("SELECT device_id FROM desired_states ORDER BY device_id")).AsList();
        }

        var active = (await _devices.PresenceAsync(ids, cancellationToken)).Where(d => !d.Retired).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        ids.RemoveAll(id => !active.Contains(id));

        int published = 0;
        foreach (string id in ids)
        {
            if (await PublishAsync(id, cancellationToken))
            {
                published++;
            }
        }

        return published;
    }

    /// <summary>Waits until the device acknowledged <paramref name="version"/> (or later) or the timeout passes.</summary>
    public async Task<DesiredStateRecord?> WaitForAppliedAsync(string deviceId, long version, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task next = _signals.Next;
            DesiredStateRecord? state = await FindAsync(deviceId, cancellationToken);
            TimeSpan left = TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            if (state is null || state.AppliedVersion >= version || left <= TimeSpan.Zero)
            {
                return state;
            }

            await CommandSignals.WaitAsync(next, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public static DesiredStateBody ToBody(DesiredStateRecord state)
    {
        string[] revoked = state.Revoked;
        return new DesiredStateBody { Version = state.Version, Enabled = state.Enabled, Token = state.Token, RevokedTokenIds = revoked.Length == 0 ? null : revoked };
    }

    /// <summary>A token must be a use token signed for this device; revoked ids valid, at most as many as the device keeps.</summary>
    private IDictionary<string, string[]> Validate(Device device, DesiredValues values)
    {
        var problems = new Dictionary<string, string[]>();
        if (values.Token != null)
        {
            ProtocolError error = new UseTokenVerifier().VerifyStored(values.Token, device.Id, _keys.KeyFor(device.Id, device.KeyVersion), new UseToken(), out string detail);
            if (error != ProtocolError.None)
            {
                problems["token"] = [$"not a use token for {device.Id}: {error} {detail}"];
            }
        }

        if (values.Revoked.Length > 64)
        {
            problems["revoked"] = ["at most 64 revoked token ids (the device keeps no more)"];
        }
        else if (values.Revoked.FirstOrDefault(id => !DeviceId.IsValid(id)) is { } bad)
        {
            problems["revoked"] = [$"'{bad}' is not a valid token id"];
        }

        if (problems.Count == 0 && MessageCodec.EncodeBody(ToBody(new DesiredStateRecord { Enabled = values.Enabled, Token = values.Token, RevokedJson = System.Text.Json.JsonSerializer.Serialize(values.Revoked) })).Length > EnvelopeCodec.MaxBodyBytes)
        {
            problems["token"] = ["the desired state would be larger than a device accepts"];
        }

        return problems;
    }

    private static Task<DesiredStateRecord?> FindAsync(DbConnection connection, DbTransaction? tx, string deviceId) =>
        connection.QuerySingleOrDefaultAsync<DesiredStateRecord>($"SELECT {DesiredStateRecord.Columns} FROM desired_states WHERE device_id = @deviceId", new { deviceId }, tx);
}
