namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>How one kind of receiver wants an alarm notification: request shape, signing, and what its reply means.</summary>
public interface IWebhookFormat
{
    HttpRequestMessage CreateRequest(WebhookSubscription subscription, AlarmNotification notification, DateTimeOffset now);

    /// <summary>Null when the receiver accepted the message, else why not (robots answer HTTP 200 with an error code).</summary>
    string? Refusal(HttpResponseMessage response, string body);

    public static IWebhookFormat For(WebhookFormat format) => format switch
    {
        WebhookFormat.DingTalk => new DingTalkRobotFormat(),
        WebhookFormat.WeCom => new WeComRobotFormat(),
        WebhookFormat.Feishu => new FeishuRobotFormat(),
        _ => new GenericWebhookFormat(),
    };
}
