using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// DingTalk work notice (工作通知) from an internal app. Token: <c>GET /gettoken?appkey=&amp;appsecret=</c>
/// → <c>{"errcode":0,"access_token":"…","expires_in":7200}</c>. Send:
/// <c>POST /topapi/message/corpconversation/asyncsend_v2?access_token=…</c> with
/// <c>{"agent_id":…,"userid_list":"userid","msg":{"msgtype":"markdown","markdown":{"title","text"}}}</c>
/// → <c>{"errcode":0,"task_id":…}</c>. errcode 40014 (invalid) or 42001 (expired) means a new token.
/// </summary>
public sealed class DingTalkWorkNotice(TimeProvider time) : WorkNoticeChannel(time)
{
    private static readonly long[] TokenErrors = [40014, 42001];

    public override string Name => WorkNoticeChannels.DingTalk;

    public override bool Configured(NotificationOptions options) => options.DingTalk.Configured;

    protected override async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(HttpClient http, NotificationOptions options, CancellationToken cancellationToken)
    {
        DingTalkAppOptions app = options.DingTalk;
        using HttpResponseMessage response = await http.GetAsync(
            $"{app.BaseUrl.TrimEnd('/')}/gettoken?appkey={Uri.EscapeDataString(app.AppKey!)}&appsecret={Uri.EscapeDataString(app.AppSecret!)}", cancellationToken);
        JsonElement reply = await ReplyAsync(response, "DingTalk gettoken", cancellationToken);
        return Code(reply, "errcode") == 0 && Text(reply, "access_token") is { Length: > 0 } token
            ? (token, TimeSpan.FromSeconds(Math.Max(120, Code(reply, "expires_in"))))
            : throw new WorkNoticeException($"DingTalk gettoken refused: errcode {Code(reply, "errcode")} {Text(reply, "errmsg")}");
    }

    protected override async Task<SendOutcome> PostAsync(HttpClient http, NotificationOptions options, string token, WorkNotice notice, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("#### ").Append(notice.Title).Append("\n\n").Append(notice.Body);
        if (notice.Url is not null)
        {
            text.Append("\n\n[").Append(notice.OpenLabel).Append("](").Append(notice.Url).Append(')');
        }

        using HttpResponseMessage response = await http.PostAsJsonAsync(
            $"{options.DingTalk.BaseUrl.TrimEnd('/')}/topapi/message/corpconversation/asyncsend_v2?access_token={Uri.EscapeDataString(token)}",
            new { agent_id = options.DingTalk.AgentId, userid_list = notice.User, msg = new { msgtype = "markdown", markdown = new { title = notice.Title, text = text.ToString() } } },
            cancellationToken);
        JsonElement reply = await ReplyAsync(response, "DingTalk asyncsend_v2", cancellationToken);
        long code = Code(reply, "errcode");
        return code == 0 ? SendOutcome.Accepted : new SendOutcome($"DingTalk errcode {code} {Text(reply, "errmsg")}", TokenErrors.Contains(code));
    }
}
