using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// Feishu / Lark custom bot (飞书自定义机器人). Facts from Feishu's custom bot guide
/// (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): POST JSON to
/// <c>https://open.feishu.cn/open-apis/bot/v2/hook/{id}</c>; a text message is
/// <c>{"msg_type":"text","content":{"text"}}</c>; with signature verification on, the body also
/// carries <c>timestamp</c> (Unix seconds, as a string, within an hour) and
/// <c>sign</c> = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)) — note the key
/// and message are the other way round from DingTalk; the reply is JSON with <c>code</c> 0 when sent
/// (older deployments answer <c>StatusCode</c> 0; e.g. 19021 when the signature does not match).
/// </summary>
public sealed class FeishuRobotFormat : IWebhookFormat
{
    public HttpRequestMessage CreateRequest(WebhookSubscription subscription, AlarmNotification notification, DateTimeOffset now)
    {
        var text = new StringBuilder(notification.Headline);
        foreach ((string label, string value) in notification.Facts())
        {
            text.Append('\n').Append(label).Append(": ").Append(value);
        }

        var content = new { text = text.ToString() };
        object body = subscription.Secret is { Length: > 0 } secret
            ? (object)new { timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), sign = Sign(secret, now.ToUnixTimeSeconds()), msg_type = "text", content }
            : new { msg_type = "text", content };
        return new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = JsonContent.Create(body) };
    }

    public string? Refusal(HttpResponseMessage response, string body) => RobotReply.Refusal(response, body, "msg", "code", "StatusCode");

    public static string Sign(string secret, long timestampSeconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret), Array.Empty<byte>()));
}
