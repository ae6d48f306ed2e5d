using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// Our own JSON for any receiver: the notification plus <c>sentAtMs</c>. With a secret the body is
/// signed: <c>X-SmartSeal-Signature: sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c> (the timestamp is
/// inside the signed body and repeated in <c>X-SmartSeal-Timestamp</c>, so a receiver can refuse old
/// replays); <c>X-SmartSeal-Delivery</c> is the same on every retry, for receivers that deduplicate.
/// </summary>
public sealed class GenericWebhookFormat : IWebhookFormat
{
    public const string SignatureHeader = "X-SmartSeal-Signature";
    public const string TimestampHeader = "X-SmartSeal-Timestamp";
    public const string DeliveryHeader = "X-SmartSeal-Delivery";
    public const string EventHeader = "X-SmartSeal-Event";

    public HttpRequestMessage CreateRequest(WebhookSubscription subscription, AlarmNotification notification, DateTimeOffset now)
    {
        long sentAtMs = now.ToUnixTimeMilliseconds();
        JsonObject json = JsonSerializer.SerializeToNode(notification, AlarmNotification.Json)!.AsObject();
        json["sentAtMs"] = sentAtMs;
        byte[] body = Encoding.UTF8.GetBytes(json.ToJsonString());

        var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventHeader, "alarm." + notification.Change);
        request.Headers.Add(DeliveryHeader, notification.DeliveryId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(TimestampHeader, sentAtMs.ToString(CultureInfo.InvariantCulture));
        if (subscription.Secret is { Length: > 0 } secret)
        {
            request.Headers.Add(SignatureHeader, Sign(secret, body));
        }

        return request;
    }

    public string? Refusal(HttpResponseMessage response, string body) =>
        response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
}
