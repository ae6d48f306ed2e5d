using System.Net.Http.Json;
using System.Text;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// WeCom group robot (企业微信群机器人). Facts from WeCom's "群机器人配置说明"
/// (developer.work.weixin.qq.com/document/path/91770): POST JSON to
/// <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...</c> (the key is the only credential;
/// there is no signing); a markdown message is <c>{"msgtype":"markdown","markdown":{"content"}}</c>
/// (UTF-8, at most 4096 bytes; <c>&lt;font color="warning|info|comment"&gt;</c> colours text); the reply
/// is HTTP 200 with <c>errcode</c> 0 when sent. A robot sends at most 20 messages a minute.
/// </summary>
public sealed class WeComRobotFormat : IWebhookFormat
{
    private const int MaxContentBytes = 4096;

    public HttpRequestMessage CreateRequest(WebhookSubscription subscription, AlarmNotification notification, DateTimeOffset now)
    {
        string colour = notification.Change == "cleared" ? "info" : notification.Severity == "critical" ? "warning" : "comment";
        var content = new StringBuilder();
        content.Append("**<font color=\"").Append(colour).Append("\">").Append(notification.Headline).Append("</font>**\n");
        foreach ((string label, string value) in notification.Facts())
        {
            content.Append("> ").Append(label).Append(": ").Append(value).Append('\n');
        }

        return new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = JsonContent.Create(new { msgtype = "markdown", markdown = new { content = Fit(content.ToString()) } }),
        };
    }

    public string? Refusal(HttpResponseMessage response, string body) => RobotReply.Refusal(response, body, "errmsg", "errcode");

    private static string Fit(string text)
    {
        while (Encoding.UTF8.GetByteCount(text) > MaxContentBytes)
        {
            text = text[..(text.Length * 9 / 10)];
        }

        return text;
    }
}
