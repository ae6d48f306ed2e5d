using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// DingTalk custom group robot (钉钉自定义机器人). Facts from DingTalk's "custom robot access" and
/// "robot message type" documents (open.dingtalk.com/document/orgapp/custom-robot-access): POST JSON
/// to <c>https://oapi.dingtalk.com/robot/send?access_token=...</c>; a markdown message is
/// <c>{"msgtype":"markdown","markdown":{"title","text"}}</c>; with the "加签" security setting the
/// URL also carries <c>timestamp</c> (Unix ms, within an hour of DingTalk's clock) and
/// <c>sign</c> = urlencode(base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)));
/// the reply is HTTP 200 with <c>errcode</c> 0 when sent (e.g. 310000 "sign not match" otherwise).
/// A robot sends at most 20 messages a minute.
/// </summary>
public sealed class DingTalkRobotFormat : IWebhookFormat
{
    public HttpRequestMessage CreateRequest(WebhookSubscription subscription, AlarmNotification notification, DateTimeOffset now)
    {
        string url = subscription.Url;
        if (subscription.Secret is { Length: > 0 } secret)
        {
            string timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + Uri.EscapeDataString(Sign(secret, timestamp));
        }

        var text = new StringBuilder();
        text.Append("#### ").Append(notification.Headline).Append("\n\n");
        foreach ((string label, string value) in notification.Facts())
        {
            text.Append("- **").Append(label).Append("**: ").Append(value).Append('\n');
        }

        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { msgtype = "markdown", markdown = new { title = notification.Headline, text = text.ToString() } }),
        };
    }

    public string? Refusal(HttpResponseMessage response, string body) => RobotReply.Refusal(response, body, "errmsg", "errcode");

    /// <summary>The signature before URL encoding.</summary>
    public static string Sign(string secret, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
}
