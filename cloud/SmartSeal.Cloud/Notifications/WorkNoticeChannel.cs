using System.Text.Json;

namespace SmartSeal.Cloud.Notifications;

/// <summary>The answer of a platform to one send: null error when accepted; <see cref="TokenRejected"/> when the access token must be fetched again.</summary>
public sealed record SendOutcome(string? Error, bool TokenRejected = false)
{
    public static readonly SendOutcome Accepted = new((string?)null);
}

/// <summary>
/// One enterprise messaging platform. All three work alike: an app credential buys an access token
/// (valid about two hours, cached here until a minute before it expires), and each message is a JSON
/// POST carrying it; an answer saying the token is invalid or expired fetches a new one and sends
/// once more. Failures come back as text for the delivery row; the dispatcher retries.
/// </summary>
public abstract class WorkNoticeChannel(TimeProvider time)
{
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    public abstract string Name { get; }

    public abstract bool Configured(NotificationOptions options);

    public async Task<string?> SendAsync(HttpClient http, NotificationOptions options, WorkNotice notice, CancellationToken cancellationToken)
    {
        string token = await TokenAsync(http, options, refresh: false, cancellationToken);
        SendOutcome outcome = await PostAsync(http, options, token, notice, cancellationToken);
        if (outcome.TokenRejected)
        {
            token = await TokenAsync(http, options, refresh: true, cancellationToken);
            outcome = await PostAsync(http, options, token, notice, cancellationToken);
        }

        return outcome.Error;
    }

    /// <summary>Fetches an access token and says how long it lives; throws <see cref="WorkNoticeException"/> when the platform refuses.</summary>
    protected abstract Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(HttpClient http, NotificationOptions options, CancellationToken cancellationToken);

    protected abstract Task<SendOutcome> PostAsync(HttpClient http, NotificationOptions options, string token, WorkNotice notice, CancellationToken cancellationToken);

    /// <summary>Reads a JSON reply, or says what came back instead (a proxy's HTML page, an HTTP error).</summary>
    protected static async Task<JsonElement> ReplyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new WorkNoticeException($"{what}: HTTP {(int)response.StatusCode} {Shorten(body)}");
        }

        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new WorkNoticeException($"{what}: not JSON: {Shorten(body)}");
        }
    }

    protected static long Code(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out JsonElement code) && code.ValueKind == JsonValueKind.Number ? code.GetInt64() : -1;

    protected static string Text(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;

    private async Task<string> TokenAsync(HttpClient http, NotificationOptions options, bool refresh, CancellationToken cancellationToken)
    {
        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (!refresh && _token is not null && time.GetUtcNow() < _tokenExpires)
            {
                return _token;
            }

            (string token, TimeSpan lifetime) = await FetchTokenAsync(http, options, cancellationToken);
            _token = token;
            _tokenExpires = time.GetUtcNow() + lifetime - TimeSpan.FromMinutes(1);
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <summary>A platform refused or could not be understood; the text goes to the delivery row.</summary>
public sealed class WorkNoticeException(string message) : Exception(message);
