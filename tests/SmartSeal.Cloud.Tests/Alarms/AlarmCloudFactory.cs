using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>
/// The cloud with webhook subscriptions in every format pointing at a local <see cref="WebhookReceiver"/>,
/// fast retries, and platform rules that only run when a test calls them (the background interval is an hour).
/// </summary>
public sealed class AlarmCloudFactory : CloudFactory
{
    public const string GenericSecret = "generic-secret-0123";
    public const string DingTalkSecret = "SECdingtalk-secret-4567";
    public const string FeishuSecret = "feishu-secret-89ab";

    /// <summary>The alarm type every format subscription listens to (door-held-open, a warning).</summary>
    public const string FormatsType = "door-held-open";

    public WebhookReceiver Receiver { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["SmartSeal:Alarms:RuleInterval"] = "01:00:00",
                ["SmartSeal:Alarms:Delivery:FirstRetryDelay"] = "00:00:00.100",
                ["SmartSeal:Alarms:Delivery:PollInterval"] = "00:00:00.100",
                ["SmartSeal:Alarms:Delivery:Timeout"] = "00:00:05",
                ["SmartSeal:Alarms:Delivery:MaxAttempts"] = "4",
                ["SmartSeal:Alarms:LiveFeed:KeepAlive"] = "00:00:00.500",
            };
            Subscribe(settings, 0, "generic", "Generic", "/generic", GenericSecret, FormatsType);
            Subscribe(settings, 1, "dingtalk", "DingTalk", "/dingtalk?access_token=token-1", DingTalkSecret, FormatsType);
            Subscribe(settings, 2, "wecom", "WeCom", "/wecom?key=key-1", null, FormatsType);
            Subscribe(settings, 3, "feishu", "Feishu", "/feishu", FeishuSecret, FormatsType);
            Subscribe(settings, 4, "flaky", "Generic", "/flaky", GenericSecret, "tamper");
            Subscribe(settings, 5, "critical-only", "Generic", "/critical", null, null);
            settings["SmartSeal:Alarms:Webhooks:5:MinSeverity"] = "Critical";
            Subscribe(settings, 6, "refusing-robot", "DingTalk", "/refusing", DingTalkSecret, "storage-full");
            Receiver.Reply("/dingtalk", "{\"errcode\":0,\"errmsg\":\"ok\"}");
            Receiver.Reply("/wecom", "{\"errcode\":0,\"errmsg\":\"ok\"}");
            Receiver.Reply("/feishu", "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
            Receiver.Reply("/refusing", "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
            return settings;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Receiver.Dispose();
    }

    private void Subscribe(Dictionary<string, string?> settings, int index, string name, string format, string path, string? secret, string? type)
    {
        string prefix = $"SmartSeal:Alarms:Webhooks:{index}:";
        settings[prefix + "Name"] = name;
        settings[prefix + "Format"] = format;
        settings[prefix + "Url"] = Receiver.Url(path);
        settings[prefix + "Secret"] = secret;
        if (type != null)
        {
            settings[prefix + "Types:0"] = type;
        }
    }
}
