using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// Section <c>SmartSeal:Alarms</c>: thresholds of the rules the cloud evaluates itself, webhook
/// subscriptions and how their deliveries are retried.
/// </summary>
public sealed class AlarmOptions
{
    public const string Section = "SmartSeal:Alarms";

    /// <summary>How often the platform rules (offline too long, low battery) look at every device.</summary>
    public TimeSpan RuleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rules for locks: carried, often out of coverage; they report their own low battery.</summary>
    public DeviceKindRules Lock { get; set; } = new() { OfflineAfter = TimeSpan.FromMinutes(30), LowBatteryPercent = null };

    /// <summary>Rules for cabinets: mains-powered, always connected; the cloud watches the backup battery.</summary>
    public DeviceKindRules Cabinet { get; set; } = new() { OfflineAfter = TimeSpan.FromMinutes(5), LowBatteryPercent = 20 };

    /// <summary>Rules for edge face gates.</summary>
    public DeviceKindRules Gate { get; set; } = new() { OfflineAfter = TimeSpan.FromMinutes(5), LowBatteryPercent = null };

    /// <summary>Where alarm notifications go.</summary>
    public List<WebhookSubscription> Webhooks { get; set; } = [];

    public WebhookDeliveryOptions Delivery { get; set; } = new();

    public DeviceKindRules RulesFor(DeviceKind kind) => kind switch
    {
        DeviceKind.Lock => Lock,
        DeviceKind.Cabinet => Cabinet,
        _ => Gate,
    };
}

public sealed class DeviceKindRules
{
    /// <summary>Silence (no accepted message, or the last will) longer than this raises <c>offline-too-long</c>; null = never.</summary>
    public TimeSpan? OfflineAfter { get; set; }

    /// <summary>
    /// A reported battery below this raises <c>low-battery</c> (cleared 5 points above it); null when the
    /// device raises the alarm itself, so the cloud does not double it.
    /// </summary>
    public int? LowBatteryPercent { get; set; }
}

/// <summary>One receiver of alarm notifications (<c>SmartSeal:Alarms:Webhooks:N</c>).</summary>
public sealed class WebhookSubscription
{
    /// <summary>Shown in delivery records (the URL is not: robot URLs carry their access token).</summary>
    public string? Name { get; set; }

    public string Url { get; set; } = string.Empty;

    public WebhookFormat Format { get; set; } = WebhookFormat.Generic;

    /// <summary>Generic: HMAC key of <c>X-SmartSeal-Signature</c>. DingTalk/Feishu: the robot's signing secret. WeCom: unused.</summary>
    public string? Secret { get; set; }

    public AlarmSeverity MinSeverity { get; set; } = AlarmSeverity.Info;

    /// <summary>Alarm types to send; empty = all.</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>Which changes to send (raised, acknowledged, cleared); empty = all three.</summary>
    public List<AlarmChangeKind> Events { get; set; } = [];

    public bool Wants(AlarmChange change) =>
        change.Severity >= MinSeverity
        && (Types.Count == 0 || Types.Contains(change.Type, StringComparer.OrdinalIgnoreCase))
        && change.Kind != AlarmChangeKind.Repeated
        && (Events.Count == 0 || Events.Contains(change.Kind));
}

public enum WebhookFormat
{
    Generic,
    DingTalk,
    WeCom,
    Feishu,
}

public sealed class WebhookDeliveryOptions
{
    /// <summary>Per request: a receiver slower than this counts as failed and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the first retry; it doubles each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After this many failed attempts a delivery is marked failed (and stays visible).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How often the outbox is polled when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
