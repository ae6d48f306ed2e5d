using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Notifications;

/// <summary>Each person's notice choices (<c>notice_settings</c>); people who never chose get <see cref="NotificationSettings.Default"/>.</summary>
public sealed class NotificationSettingsStore(Database database, WorkNoticeChannels channels, IOptionsMonitor<NotificationOptions> options, TimeProvider time)
{
    public async Task<NotificationSettings> GetAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await ReadAsync(connection, null, [login], cancellationToken)).GetValueOrDefault(login, NotificationSettings.Default);
    }

    /// <summary>Checks every field and stores the whole choice, or stores nothing and says what is wrong.</summary>
    public async Task<ChangeResult<NotificationSettings>> SaveAsync(string login, NotificationSettingsRequest request, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        string language = request.Language?.Trim() ?? NoticeText.Chinese;
        if (!NoticeText.Languages.Contains(language))
        {
            problems["language"] = [$"'{language}' is not a notice language; choose one of {string.Join(", ", NoticeText.Languages)}"];
        }

        var settings = new NotificationSettings(language, [], Clean(request.DingTalkUser), Clean(request.WeComUser), Clean(request.FeishuUser));
        IReadOnlyList<string> configured = channels.Configured(options.CurrentValue);
        var chosen = new List<string>();
        foreach (string raw in request.Channels ?? [])
        {
            string channel = raw.Trim().ToLowerInvariant();
            if (!WorkNoticeChannels.Names.Contains(channel))
            {
                problems["channels"] = [$"'{raw}' is not a channel; choose from {string.Join(", ", WorkNoticeChannels.Names)}"];
            }
            else if (!configured.Contains(channel))
            {
                problems["channels"] = [$"{channel} is not set up on this server (SmartSeal:Notifications:{channel}); available: {(configured.Count == 0 ? "none" : string.Join(", ", configured))}"];
            }
            else if (settings.UserOn(channel) is null)
            {
                problems["channels"] = [$"{channel} is chosen but your {channel} user id is empty"];
            }
            else if (!chosen.Contains(channel))
            {
                chosen.Add(channel);
            }
        }

        if (problems.Count > 0)
        {
            return ChangeResult<NotificationSettings>.Invalid(problems);
        }

        settings = settings with { Channels = chosen };
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO notice_settings (login, language, channels, dingtalk_user, wecom_user, feishu_user, updated_ms)
            VALUES (@login, @Language, @channels, @DingTalkUser, @WeComUser, @FeishuUser, @now)
            ON CONFLICT (login) DO UPDATE SET language = excluded.language, channels = excluded.channels, dingtalk_user = excluded.dingtalk_user,
                wecom_user = excluded.wecom_user, feishu_user = excluded.feishu_user, updated_ms = excluded.updated_ms
            """,
            new { login, settings.Language, channels = string.Join(",", chosen), settings.DingTalkUser, settings.WeComUser, settings.FeishuUser, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return ChangeResult<NotificationSettings>.Ok(settings);
    }

    /// <summary>The stored choices of <paramref name="logins"/> (people who never chose are absent).</summary>
    internal static async Task<Dictionary<string, NotificationSettings>> ReadAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<string> logins, CancellationToken cancellationToken) =>
        (await SqlList.QueryInChunksAsync<(string Login, string Language, string Channels, string? DingTalk, string? WeCom, string? Feishu)>(
            connection, "SELECT login, language, channels, dingtalk_user, wecom_user, feishu_user FROM notice_settings WHERE login IN {values}", logins,
            transaction: transaction, cancellationToken: cancellationToken))
        .ToDictionary(
            r => r.Login,
            r => new NotificationSettings(r.Language, r.Channels.Split(',', StringSplitOptions.RemoveEmptyEntries), r.DingTalk, r.WeCom, r.Feishu),
            StringComparer.Ordinal);

    private static string? Clean(string? id) => string.IsNullOrWhiteSpace(id) ? null : id.Trim();
}
