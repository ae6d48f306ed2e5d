using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// The alarms only the platform can see, evaluated for every registered device every
/// <see cref="AlarmOptions.RuleInterval"/>: <c>offline-too-long</c> (no accepted message — or only the
/// last will — for longer than the kind's threshold, counted from this cloud's start at the earliest; cleared once the device is online and heard
/// from again) and <c>low-battery</c> for kinds that do not raise it themselves (cleared 5 points
/// above the threshold, so a battery hovering at the line does not flap). Alarms that arrive with
/// messages (device alarms, forged or unknown senders, floods) are raised by the ingest pipeline.
/// </summary>
public sealed class AlarmRules(Database database, DeviceRepository devices, AlarmService alarms, IOptionsMonitor<AlarmOptions> options, TimeProvider time, ILogger<AlarmRules> logger) : BackgroundService
{
    public const string RuleActor = "rule";
    private const int BatteryHysteresis = 5;

    // Silence while this cloud was not running is not the device's: after a (re)start every device
    // gets its threshold to reconnect before it is called offline too long.
    private readonly long _startedMs = time.GetUtcNow().ToUnixTimeMilliseconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never let the rules stop (a stopped BackgroundService stops the host).
                logger.LogError(e, "Alarm rules could not run; trying again next interval");
            }

            try
            {
                await Task.Delay(options.CurrentValue.RuleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Evaluates every rule for every device as of <paramref name="nowMs"/>; returns the changes made.</summary>
    public async Task<IReadOnlyList<AlarmChange>> EvaluateAsync(long nowMs, CancellationToken cancellationToken = default)
    {
        AlarmOptions settings = options.CurrentValue;
        IEnumerable<Device> registered = (await devices.ListAsync(null, null, cancellationToken)).Where(d => !d.Retired);
        HashSet<(string, string)> active;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            active = (await connection.QueryAsync<(string, string)>(
                "SELECT device_id, type FROM alarms WHERE active AND compartment = 0 AND type IN (@Offline, @Battery)",
                new { Offline = AlarmTypes.OfflineTooLong, Battery = AlarmTypes.LowBattery })).ToHashSet();
        }

        var changes = new List<AlarmChange>();
        foreach (Device device in registered)
        {
            DeviceKindRules rules = settings.RulesFor(device.Kind);
            await CheckOfflineAsync(device, rules, nowMs, active.Contains((device.Id, AlarmTypes.OfflineTooLong)), changes, cancellationToken);
            await CheckBatteryAsync(device, rules, active.Contains((device.Id, AlarmTypes.LowBattery)), changes, cancellationToken);
        }

        return changes;
    }

    private async Task CheckOfflineAsync(Device device, DeviceKindRules rules, long nowMs, bool alarmed, List<AlarmChange> changes, CancellationToken cancellationToken)
    {
        if (rules.OfflineAfter is not { } threshold)
        {
            return;
        }

        // A device never heard from counts from its registration; none counts from before this cloud started.
        long silentSince = Math.Max(Math.Max(device.LastSeenMs, device.CreatedMs), _startedMs);
        long silentMs = nowMs - silentSince;
        if (!alarmed && silentMs > threshold.TotalMilliseconds)
        {
            string detail = device.LastSeenMs == 0
                ? $"never connected since registration {Minutes(silentMs)} ago (threshold {Minutes((long)threshold.TotalMilliseconds)})"
                : $"{(device.Online ? "silent" : "offline")} for {Minutes(silentMs)} (threshold {Minutes((long)threshold.TotalMilliseconds)})";
            changes.Add(await alarms.RaiseAsync(device.Id, AlarmTypes.OfflineTooLong, 0, detail, cancellationToken: cancellationToken));
        }
        else if (alarmed && device.Online && silentMs <= threshold.TotalMilliseconds)
        {
            AlarmChange? cleared = await alarms.ClearAsync(device.Id, AlarmTypes.OfflineTooLong, 0, RuleActor, "back online", cancellationToken: cancellationToken);
            if (cleared != null)
            {
                changes.Add(cleared);
            }
        }
    }

    private async Task CheckBatteryAsync(Device device, DeviceKindRules rules, bool alarmed, List<AlarmChange> changes, CancellationToken cancellationToken)
    {
        if (rules.LowBatteryPercent is not { } threshold || device.BatteryPercent is not { } percent)
        {
            return;
        }

        if (!alarmed && percent < threshold)
        {
            changes.Add(await alarms.RaiseAsync(device.Id, AlarmTypes.LowBattery, 0, $"battery {percent}% (below {threshold}%)", cancellationToken: cancellationToken));
        }
        else if (alarmed && percent >= threshold + BatteryHysteresis)
        {
            AlarmChange? cleared = await alarms.ClearAsync(device.Id, AlarmTypes.LowBattery, 0, RuleActor, $"battery {percent}%", cancellationToken: cancellationToken);
            if (cleared != null)
            {
                changes.Add(cleared);
            }
        }
    }

    private static string Minutes(long ms) => ms >= 120_000 ? $"{ms / 60_000} min" : $"{ms / 1000} s";
}
