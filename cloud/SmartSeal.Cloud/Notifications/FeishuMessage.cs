using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// Feishu bot message to one person. Token: <c>POST /open-apis/auth/v3/tenant_access_token/internal</c>
/// with <c>{"app_id","app_secret"}</c> → <c>{"code":0,"tenant_access_token":"…","expire":7200}</c>. Send:
/// <c>POST /open-apis/im/v1/messages?receive_id_type=user_id</c>, <c>Authorization: Bearer …</c>,
/// <c>{"receive_id":"…","msg_type":"text","content":"{\"text\":\"…\"}"}</c> (content is a JSON string)
/// → <c>{"code":0,"msg":"success"}</c>. code 99991663 / 99991661 (invalid or missing token): new token.
/// </summary>
public sealed class FeishuMessage(TimeProvider time) : WorkNoticeChannel(time)
{
    private static readonly long[] TokenErrors = [99991661, 99991663];

    public override string Name => WorkNoticeChannels.Feishu;

    public override bool Configured(NotificationOptions options) => options.Feishu.Configured;

    protected override async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(HttpClient http, NotificationOptions options, CancellationToken cancellationToken)
    {
        FeishuAppOptions app = options.Feishu;
        using HttpResponseMessage response = await http.PostAsJsonAsync(
            $"{app.BaseUrl.TrimEnd('/')}/open-apis/auth/v3/tenant_access_token/internal", new { app_id = app.AppId, app_secret = app.AppSecret }, cancellationToken);
        JsonElement reply = await ReplyAsync(response, "Feishu tenant_access_token", cancellationToken);
        return Code(reply, "code") == 0 && Text(reply, "tenant_access_token") is { Length: > 0 } token
            ? (token, TimeSpan.FromSeconds(Math.Max(120, Code(reply, "expire"))))
            : throw new WorkNoticeException($"Feishu tenant_access_token refused: code {Code(reply, "code")} {Text(reply, "msg")}");
    }

    protected override async Task<SendOutcome> PostAsync(HttpClient http, NotificationOptions options, string token, WorkNotice notice, CancellationToken cancellationToken)
    {
        string text = notice.Title + "\n" + notice.Body + (notice.Url is null ? string.Empty : "\n" + notice.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Feishu.BaseUrl.TrimEnd('/')}/open-apis/im/v1/messages?receive_id_type={Uri.EscapeDataString(options.Feishu.ReceiveIdType)}")
        {
            Content = JsonContent.Create(new { receive_id = notice.User, msg_type = "text", content = JsonSerializer.Serialize(new { text }) }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);

        // Feishu answers refusals with HTTP 400 and a JSON code; read the code either way.
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement reply;
        try
        {
            reply = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return new SendOutcome($"Feishu im/v1/messages: HTTP {(int)response.StatusCode}, not JSON");
        }

        long code = Code(reply, "code");
        return code == 0 ? SendOutcome.Accepted : new SendOutcome($"Feishu code {code} {Text(reply, "msg")}", TokenErrors.Contains(code));
    }
}
