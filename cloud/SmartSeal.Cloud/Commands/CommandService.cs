using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Signed commands to devices with a queue for offline ones (devices use a clean session, so the
/// broker keeps nothing for them: hardware-docs/adr/0002).
/// <list type="bullet">
/// <item>A command is signed **once**, when requested: the next per-device counter (allocated
/// atomically in the database, so several cloud instances never hand out one value twice),
/// issued-at = now, expiry = now + min(TTL, 24 h), a fresh id. The exact envelope is stored.</item>
/// <item>It is published at once when the device is online, else it waits as <c>queued</c>.
/// When the device reports online, its queued commands are published in counter order, each
/// exactly as signed. One past its expiry is marked <c>expired</c> and never sent. Never
/// re-signing keeps replay protection intact: every envelope that ever reaches the broker carries
/// a counter the device accepts at most once, and its issued-at and expiry are the request's.</item>
/// <item>The device's <c>cmd-result</c> makes it <c>ok</c> or <c>refused</c>
/// (<see cref="CommandResultHandler"/>); no result before expiry (+ a grace) makes it <c>expired</c>.</item>
/// </list>
/// </summary>
public sealed class CommandService
{
    private readonly Database _database;
    private readonly DeviceRepository _devices;
    private readonly DeviceKeyring _keys;
    private readonly IDeviceBroker _broker;
    private readonly CommandSignals _signals;
    private readonly CommandOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CommandService> _logger;
    private readonly DeviceLocks _locks = new();

    public CommandService(
        Database database,
        DeviceRepository devices,
        DeviceKeyring keys,
        IDeviceBroker broker,
        CommandSignals signals,
        DeviceEventFeed feed,
        IOptions<CommandOptions> options,
        TimeProvider time,
        ILogger<CommandService> logger)
    {
        _database = database;
        _devices = devices;
        _keys = keys;
        _broker = broker;
        _signals = signals;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _signals.SignalOnStored<CommandResultBody>(feed);
    }

    /// <summary>The longest a command may live (the device refuses longer ones).</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromMilliseconds(CommandReplayGuard.MaxLifetimeMs);

    public TimeSpan DefaultTtl => TimeSpan.FromSeconds(Math.Clamp(_options.DefaultTtlSeconds, 1, (int)MaxTtl.TotalSeconds));

    /// <summary>
    /// Signs and stores a command, and publishes it now if the device is online (otherwise it
    /// waits for the device, at most <paramref name="ttl"/>, capped at 24 h).
    /// </summary>
    public async Task<CommandSendResult> SendAsync(string deviceId, MessageBody body, string? requestedBy, TimeSpan? ttl = null, long? desiredVersion = null, CancellationToken cancellationToken = default)
    {
        Device? device = await _devices.FindAsync(deviceId, cancellationToken);
        if (device is null)
        {
            return CommandSendResult.Unknown;
        }

        if (device.Retired)
        {
            return CommandSendResult.Retired;
        }

        TimeSpan lifetime = ttl is { } t && t > TimeSpan.Zero ? (t < MaxTtl ? t : MaxTtl) : DefaultTtl;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string id = NewCommandId();
        long expires = now + (long)lifetime.TotalMilliseconds;

        await using (DbConnection connection = await _database.OpenAsync(cancellationToken))
        {
            await using DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken);

            // The first counter of a device is the current time in ms, then +1 per command: if the
            // database is ever rebuilt, a device that remembers older counters still accepts new ones.
            long counter = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO device_counters (device_id, command_counter) VALUES (@deviceId, @now)
                ON CONFLICT (device_id) DO UPDATE SET command_counter = device_counters.command_counter + 1
                RETURNING command_counter
                """,
                new { deviceId, now },
                tx);
            byte[] envelope = DeviceEnvelopes.Command(deviceId, _keys.KeyFor(deviceId, device.KeyVersion), body, id, counter, now, expires);
            await connection.ExecuteAsync(
                """
                INSERT INTO commands (id, device_id, type, counter, body, issued_ms, expires_ms, status, requested_by, envelope, desired_version)
                VALUES (@id, @deviceId, @Type, @counter, @Body, @now, @expires, @status, @requestedBy, @envelope, @desiredVersion)
                """,
                new
                {
                    id, deviceId, body.Type, counter, Body = DeviceEnvelopes.BodyText(body), now, expires, status = CommandStatus.Queued, requestedBy,
                    envelope = System.Text.Encoding.UTF8.GetString(envelope), desiredVersion,
                },
                tx);
            await tx.CommitAsync(cancellationToken);
        }

        _logger.LogInformation("Command {Id} {Type} for {Device} requested by {By}, expires in {Ttl}", id, body.Type, deviceId, requestedBy, lifetime);

        // Stored first, then the presence check: a device that comes online in between finds the
        // command queued (its delivery runs after its presence is committed), so none is stranded.
        await DeliverQueuedAsync(deviceId, cancellationToken);
        return new CommandSendResult(CommandSendStatus.Accepted, await FindAsync(deviceId, id, cancellationToken));
    }

    public async Task<CommandRecord?> FindAsync(string deviceId, string commandId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CommandRecord>(
            $"SELECT {CommandRecord.Columns} FROM commands WHERE id = @commandId AND device_id = @deviceId",
            new { deviceId, commandId });
    }

    /// <summary>A device's commands, newest first.</summary>
    public async Task<IReadOnlyList<CommandRecord>> ListAsync(string deviceId, string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommandRecord>(
            $"""
            SELECT {CommandRecord.Columns} FROM commands
            WHERE device_id = @deviceId AND (@status IS NULL OR status = @status)
            ORDER BY counter DESC LIMIT @limit
            """,
            new { deviceId, status, limit });
        return rows.AsList();
    }

    /// <summary>Waits until the command is no longer open (result, expiry) or the timeout passes; returns it as it then stands.</summary>
    public async Task<CommandRecord?> WaitForResultAsync(string deviceId, string commandId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task next = _signals.Next;
            CommandRecord? command = await FindAsync(deviceId, commandId, cancellationToken);
            TimeSpan left = TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            if (command is null || !CommandStatus.IsOpen(command.Status) || left <= TimeSpan.Zero)
            {
                return command;
            }

            // Another instance may store the result: re-read at least every second.
            await CommandSignals.WaitAsync(next, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>
    /// Publishes the device's queued commands in counter order if it is online; expired ones are
    /// marked so instead. Each command is claimed (<c>queued</c> → <c>sent</c>) before it is
    /// published, so two instances never both send it. Returns how many were published.
    /// </summary>
    public async Task<int> DeliverQueuedAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        using IDisposable held = await _locks.AcquireAsync(deviceId, cancellationToken);
        if ((await _devices.PresenceAsync([deviceId], cancellationToken)) is not [{ Online: true, Retired: false }])
        {
            return 0;
        }

        await using DbConnection connection = await _database.OpenAsync(cancellationToken);

        var queued = (await connection.QueryAsync<(string Id, long ExpiresMs, string Envelope)>(
            "SELECT id, expires_ms, envelope FROM commands WHERE device_id = @deviceId AND status = @queued ORDER BY counter",
            new { deviceId, queued = CommandStatus.Queued })).AsList();
        int published = 0;
        foreach ((string id, long expiresMs, string envelope) in queued)
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (expiresMs <= now)
            {
                await connection.ExecuteAsync(
                    "UPDATE commands SET status = @expired, completed_ms = @now WHERE id = @id AND status = @queued",
                    new { id, now, expired = CommandStatus.Expired, queued = CommandStatus.Queued });
                _logger.LogInformation("Command {Id} for {Device} expired before its device came online; not sent", id, deviceId);
                _signals.Signal();
                continue;
            }

            int claimed = await connection.ExecuteAsync(
                "UPDATE commands SET status = @sent, sent_ms = @now WHERE id = @id AND status = @queued",
                new { id, now, sent = CommandStatus.Sent, queued = CommandStatus.Queued });
            if (claimed == 0)
            {
                continue; // another instance sent it, or it was superseded meanwhile
            }

            try
            {
                await _broker.PublishAsync(DeviceTopics.For(deviceId, TopicKind.Commands), System.Text.Encoding.UTF8.GetBytes(envelope), retain: false, cancellationToken);
                published++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not handed over: back to the queue; the next presence change or sweep tries again.
                await connection.ExecuteAsync(
                    "UPDATE commands SET status = @queued, sent_ms = NULL WHERE id = @id AND status = @sent",
                    new { id, sent = CommandStatus.Sent, queued = CommandStatus.Queued });
                _logger.LogWarning(e, "Could not publish command {Id} to {Device}; it stays queued", id, deviceId);
                break;
            }
        }

        return published;
    }

    /// <summary>Marks commands without a result past their expiry as expired (sent ones after a grace); returns how many.</summary>
    public async Task<int> ExpireOverdueAsync(CancellationToken cancellationToken = default)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await _database.OpenAsync(cancellationToken);
        int expired = await connection.ExecuteAsync(
            """
            UPDATE commands SET status = @expired, completed_ms = @now
            WHERE (status = @queued AND expires_ms <= @now) OR (status = @sent AND expires_ms <= @sentCutoff)
            """,
            new
            {
                now, sentCutoff = now - (_options.ResultGraceSeconds * 1000L),
                expired = CommandStatus.Expired, queued = CommandStatus.Queued, sent = CommandStatus.Sent,
            });
        if (expired > 0)
        {
            _logger.LogInformation("{Count} commands expired without a result", expired);
            _signals.Signal();
        }

        return expired;
    }

    /// <summary>Online devices that still have queued commands (a catch-all for a missed presence change).</summary>
    public async Task<IReadOnlyList<string>> OnlineDevicesWithQueuedCommandsAsync(CancellationToken cancellationToken = default)
    {
        List<string> queued;
        await using (DbConnection connection = await _database.OpenAsync(cancellationToken))
        {
            queued = (await connection.QueryAsync<string>("SELECT DISTINCT device_id FROM commands WHERE status = @queued", new { queued = CommandStatus.Queued })).AsList();
        }

        var online = (await _devices.PresenceAsync(queued, cancellationToken)).Where(d => d.Online && !d.Retired).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        return queued.Where(online.Contains).ToList();
    }

    private static string NewCommandId() => "cmd-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
}
