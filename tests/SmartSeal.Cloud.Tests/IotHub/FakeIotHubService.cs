using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmartSeal.Cloud.Tests.IotHub;

/// <summary>One request the fake hub received, with the verdict on its SAS token.</summary>
public sealed record HubRequest(string Method, string Path, string? ApiVersion, string? ContentType, JsonElement Body, string? SasProblem);

/// <summary>
/// IoT Hub's service REST endpoint played by an <see cref="HttpListener"/> on 127.0.0.1: records
/// every request, checks its service SAS token independently of the code under test (BCL HMAC,
/// <see cref="Uri.UnescapeDataString"/>), refuses bad tokens with 401 like the hub, and answers
/// twin updates and direct methods (<see cref="MethodResponder"/>, or 404 for an offline device).
/// </summary>
public sealed class FakeIotHubService : IDisposable
{
    public const string HostName = "smartseal-test.azure-devices.net";
    public const string PolicyName = "service";
    public static readonly byte[] PolicyKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeIotHubService()
    {
        Port = Infrastructure.CloudFactory.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/";

    public ConcurrentQueue<HubRequest> Requests { get; } = new();

    /// <summary>Devices the hub considers connected; methods to others get 404 (device not online).</summary>
    public ConcurrentDictionary<string, bool> Online { get; } = new(StringComparer.Ordinal);

    /// <summary>The device's answer to a direct method: (status, payload JSON).</summary>
    public Func<string, JsonElement, (int Status, string PayloadJson)> MethodResponder { get; set; } = (_, _) => (202, "null");

    /// <summary>Null when the token is a valid service token for this hub and policy, else why not.</summary>
    public static string? CheckSas(string? header, long nowUnixSeconds)
    {
        const string Scheme = "SharedAccessSignature ";
        if (header == null || !header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return "no SharedAccessSignature";
        }

        Dictionary<string, string> fields = header[Scheme.Length..].Split('&').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : string.Empty);
        if (!fields.TryGetValue("sr", out string? sr) || !fields.TryGetValue("sig", out string? sig) || !fields.TryGetValue("se", out string? se) || !fields.TryGetValue("skn", out string? skn))
        {
            return "missing field";
        }

        if (Uri.UnescapeDataString(sr) != HostName || skn != PolicyName)
        {
            return "wrong resource or policy";
        }

        string expected = Convert.ToBase64String(HMACSHA256.HashData(PolicyKey, Encoding.UTF8.GetBytes(sr + "\n" + se)));
        if (Uri.UnescapeDataString(sig) != expected)
        {
            return "bad signature";
        }

        long expiry = long.Parse(se, System.Globalization.CultureInfo.InvariantCulture);
        return expiry <= nowUnixSeconds ? "expired" : expiry - nowUnixSeconds > 24 * 3600 ? "lifetime too long" : null;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        string text = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync();
        JsonElement body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        string path = request.Url!.AbsolutePath;
        string? problem = CheckSas(request.Headers["Authorization"], DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Requests.Enqueue(new HubRequest(request.HttpMethod, path, request.QueryString["api-version"], request.ContentType, body, problem));

        (int status, string json) = problem != null ? (401, "{\"Message\":\"Unauthorized\"}") : Answer(request.HttpMethod, path, body);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private (int Status, string Json) Answer(string method, string path, JsonElement body)
    {
        string[] parts = path.Trim('/').Split('/');
        if (method == "PATCH" && parts is ["twins", _])
        {
            return (200, "{\"deviceId\":\"" + parts[1] + "\",\"properties\":{\"desired\":{\"$version\":2}}}");
        }

        if (method == "POST" && parts is ["twins", _, "methods"])
        {
            if (!Online.ContainsKey(parts[1]))
            {
                return (404, "{\"Message\":\"{\\\"errorCode\\\":404103,\\\"message\\\":\\\"Timed out waiting for device to connect.\\\"}\"}");
            }

            (int status, string payload) = MethodResponder(parts[1], body);
            return (200, "{\"status\":" + status + ",\"payload\":" + payload + "}");
        }

        return (404, "{}");
    }
}
