namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// A person's notice choices: the language of their work notices, the channels they want them on
/// (besides the portal inbox, which everyone has) and their user ids on those platforms.
/// </summary>
public sealed record NotificationSettings(string Language, IReadOnlyList<string> Channels, string? DingTalkUser, string? WeComUser, string? FeishuUser)
{
    public static readonly NotificationSettings Default = new(NoticeText.Chinese, [], null, null, null);

    /// <summary>The id the person has on <paramref name="channel"/>, or null.</summary>
    public string? UserOn(string channel) => channel switch
    {
        WorkNoticeChannels.DingTalk => DingTalkUser,
        WorkNoticeChannels.WeCom => WeComUser,
        WorkNoticeChannels.Feishu => FeishuUser,
        _ => null,
    };
}

/// <summary>What a person sends to change their choices; every field is checked (unknown channel, channel without an id, unknown language).</summary>
public sealed record NotificationSettingsRequest(string? Language, string[]? Channels, string? DingTalkUser, string? WeComUser, string? FeishuUser);
