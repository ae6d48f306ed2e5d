namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// <c>SmartSeal:Notifications</c>: the enterprise apps that send work notices (a channel without
/// credentials is off, and people cannot choose it), the portal address their links point to, and
/// the retry policy.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "SmartSeal:Notifications";

    /// <summary>The portal's public address (e.g. https://seal.example.com); work notices link to it. Without it they carry no link.</summary>
    public string? PortalUrl { get; set; }

    public DingTalkAppOptions DingTalk { get; set; } = new();

    public WeComAppOptions WeCom { get; set; } = new();

    public FeishuAppOptions Feishu { get; set; } = new();

    public NoticeDeliveryOptions Delivery { get; set; } = new();
}

/// <summary>A DingTalk internal app (企业内部应用): AppKey/AppSecret for the access token, the AgentId that sends.</summary>
public sealed class DingTalkAppOptions
{
    public string BaseUrl { get; set; } = "https://oapi.dingtalk.com";

    public string? AppKey { get; set; }

    public string? AppSecret { get; set; }

    public long AgentId { get; set; }

    public bool Configured => AppKey is { Length: > 0 } && AppSecret is { Length: > 0 } && AgentId > 0;
}

/// <summary>A WeCom self-built app (自建应用): corp id, the app's secret, its AgentId.</summary>
public sealed class WeComAppOptions
{
    public string BaseUrl { get; set; } = "https://qyapi.weixin.qq.com";

    public string? CorpId { get; set; }

    public string? CorpSecret { get; set; }

    public long AgentId { get; set; }

    public bool Configured => CorpId is { Length: > 0 } && CorpSecret is { Length: > 0 } && AgentId > 0;
}

/// <summary>A Feishu self-built app (企业自建应用) with the bot ability: app id and secret; people are addressed by <see cref="ReceiveIdType"/>.</summary>
public sealed class FeishuAppOptions
{
    public string BaseUrl { get; set; } = "https://open.feishu.cn";

    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>user_id (the tenant's employee id, the default), open_id or union_id.</summary>
    public string ReceiveIdType { get; set; } = "user_id";

    public bool Configured => AppId is { Length: > 0 } && AppSecret is { Length: > 0 };
}

public sealed class NoticeDeliveryOptions
{
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
