using System.Net.Http.Json;
using System.Text.Json;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// WeCom app message (应用消息). Token: <c>GET /cgi-bin/gettoken?corpid=&amp;corpsecret=</c> →
/// <c>{"errcode":0,"access_token":"…","expires_in":7200}</c>. Send: <c>POST /cgi-bin/message/send?access_token=…</c>
/// with <c>{"touser":"UserID","msgtype":"textcard","agentid":…,"textcard":{"title","description","url","btntxt"}}</c>
/// (a <c>text</c> message when there is no portal link) → <c>{"errcode":0,"invaliduser":""}</c>; a
/// non-empty <c>invaliduser</c> means WeCom does not know the person. errcode 40014 / 42001: new token.
/// </summary>
public sealed class WeComAppMessage(TimeProvider time) : WorkNoticeChannel(time)
{
    private static readonly long[] TokenErrors = [40014, 42001];

    public override string Name => WorkNoticeChannels.WeCom;

    public override bool Configured(NotificationOptions options) => options.WeCom.Configured;

    protected override async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(HttpClient http, NotificationOptions options, CancellationToken cancellationToken)
    {
        WeComAppOptions app = options.WeCom;
        using HttpResponseMessage response = await http.GetAsync(
            $"{app.BaseUrl.TrimEnd('/')}/cgi-bin/gettoken?corpid={Uri.EscapeDataString(app.CorpId!)}&corpsecret={Uri.EscapeDataString(app.CorpSecret!)}", cancellationToken);
        JsonElement reply = await ReplyAsync(response, "WeCom gettoken", cancellationToken);
        return Code(reply, "errcode") == 0 && Text(reply, "access_token") is { Length: > 0 } token
            ? (token, TimeSpan.FromSeconds(Math.Max(120, Code(reply, "expires_in"))))
            : throw new WorkNoticeException($"WeCom gettoken refused: errcode {Code(reply, "errcode")} {Text(reply, "errmsg")}");
    }

    protected override async Task<SendOutcome> PostAsync(HttpClient http, NotificationOptions options, string token, WorkNotice notice, CancellationToken cancellationToken)
    {
        object message = notice.Url is null
            ? new { touser = notice.User, msgtype = "text", agentid = options.WeCom.AgentId, text = new { content = notice.Title + "\n" + notice.Body } }
            : new { touser = notice.User, msgtype = "textcard", agentid = options.WeCom.AgentId, textcard = new { title = notice.Title, description = notice.Body, url = notice.Url, btntxt = notice.OpenLabel } };
        using HttpResponseMessage response = await http.PostAsJsonAsync(
            $"{options.WeCom.BaseUrl.TrimEnd('/')}/cgi-bin/message/send?access_token={Uri.EscapeDataString(token)}", message, cancellationToken);
        JsonElement reply = await ReplyAsync(response, "WeCom message/send", cancellationToken);
        long code = Code(reply, "errcode");
        if (code != 0)
        {
            return new SendOutcome($"WeCom errcode {code} {Text(reply, "errmsg")}", TokenErrors.Contains(code));
        }

        return Text(reply, "invaliduser") is { Length: > 0 } invalid ? new SendOutcome($"WeCom does not know user {invalid}") : SendOutcome.Accepted;
    }
}
