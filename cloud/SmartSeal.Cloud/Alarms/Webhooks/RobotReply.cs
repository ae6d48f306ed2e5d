using System.Net;
using System.Text.Json;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>Reads the chat robots' replies: HTTP 200 with a JSON error code, where 0 means sent.</summary>
public static class RobotReply
{
    /// <summary>Null when the HTTP status is a success and every named code that is present is 0.</summary>
    public static string? Refusal(HttpResponseMessage response, string body, string messageField, params string[] codeFields)
    {
        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode} {Shorten(body)}";
        }

        try
        {
            using JsonDocument reply = JsonDocument.Parse(body);
            foreach (string field in codeFields)
            {
                if (reply.RootElement.TryGetProperty(field, out JsonElement code) && code.ValueKind == JsonValueKind.Number && code.GetInt64() != 0)
                {
                    string message = reply.RootElement.TryGetProperty(messageField, out JsonElement m) ? m.ToString() : string.Empty;
                    return $"{field} {code.GetInt64()}: {Shorten(message)}";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return response.StatusCode == HttpStatusCode.NoContent ? null : "reply is not JSON: " + Shorten(body);
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] : text;
}
