namespace SmartSeal.Cloud.Notifications;

/// <summary>The channel names people choose from, and the channel objects by name.</summary>
public sealed class WorkNoticeChannels(IEnumerable<WorkNoticeChannel> channels)
{
    public const string DingTalk = "dingtalk";
    public const string WeCom = "wecom";
    public const string Feishu = "feishu";

    public static readonly IReadOnlyList<string> Names = [DingTalk, WeCom, Feishu];

    private readonly Dictionary<string, WorkNoticeChannel> _byName = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public WorkNoticeChannel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The channels this server has credentials for.</summary>
    public IReadOnlyList<string> Configured(NotificationOptions options) => Names.Where(n => _byName.TryGetValue(n, out WorkNoticeChannel? c) && c.Configured(options)).ToList();
}
