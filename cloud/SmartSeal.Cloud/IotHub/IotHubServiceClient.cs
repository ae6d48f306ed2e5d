using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SmartSeal.Protocol.IotHub;

namespace SmartSeal.Cloud.IotHub;

/// <summary>
/// The parts of IoT Hub's service REST API SmartSeal needs (learn.microsoft.com/rest/api/iothub/service/devices):
/// <list type="bullet">
/// <item>"Update Twin": <c>PATCH /twins/{id}?api-version=2021-04-12</c> with <c>{"properties":{"desired":{...}}}</c>;</item>
/// <item>"Invoke Method": <c>POST /twins/{id}/methods?api-version=2021-04-12</c> with
/// <c>{"methodName","responseTimeoutInSeconds","payload"}</c>, answered <c>{"status","payload"}</c>.</item>
/// </list>
/// Every call carries a service SAS token (<c>Authorization: SharedAccessSignature sr={host}&amp;sig=...&amp;se=...&amp;skn={policy}</c>)
/// minted from the configured policy key and renewed before it expires. Sending cloud-to-device
/// messages is not part of that REST surface (the service side of C2D is AMQP only), so acks travel
/// as a direct method named "ack" instead. SmartSeal envelopes go as JSON strings (<see cref="IotHubPayloads"/>)
/// so their MACs survive the hub's JSON handling.
/// </summary>
public sealed class IotHubServiceClient(HttpClient http, IOptions<IotHubOptions> options, TimeProvider time)
{
    private readonly IotHubOptions _options = options.Value;
    private readonly object _tokenLock = new();
    private string? _token;
    private long _tokenExpiry;

    /// <summary>Sets the desired property <see cref="IotHubTopics.DesiredProperty"/> to the signed desired-state envelope.</summary>
    public async Task UpdateDesiredAsync(string deviceId, byte[] envelope, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["desired"] = new JsonObject { [IotHubTopics.DesiredProperty] = Encoding.UTF8.GetString(envelope) },
            },
        };
        using HttpRequestMessage request = NewRequest(HttpMethod.Patch, $"twins/{Uri.EscapeDataString(deviceId)}", body);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "update twin of " + deviceId, cancellationToken);
    }

    /// <summary>
    /// Invokes direct method <paramref name="methodName"/> with the envelope as payload. Returns the
    /// device's status and payload; <see cref="IotHubMethodResult.Offline"/> when the hub says
    /// the device is not connected (commands are only for the online moment: hardware-docs/adr/0002).
    /// </summary>
    public async Task<IotHubMethodResult> InvokeMethodAsync(string deviceId, string methodName, byte[] envelope, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["methodName"] = methodName,
            ["responseTimeoutInSeconds"] = _options.MethodResponseTimeoutSeconds,
            ["payload"] = Encoding.UTF8.GetString(envelope),
        };
        using HttpRequestMessage request = NewRequest(HttpMethod.Post, $"twins/{Uri.EscapeDataString(deviceId)}/methods", body);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return IotHubMethodResult.Offline;
        }

        await EnsureSuccessAsync(response, $"invoke {methodName} on {deviceId}", cancellationToken);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        int status = answer.RootElement.GetProperty("status").GetInt32();
        byte[]? resultEnvelope = null;
        if (answer.RootElement.TryGetProperty("payload", out JsonElement payload) && payload.ValueKind == JsonValueKind.String)
        {
            resultEnvelope = Encoding.UTF8.GetBytes(payload.GetString()!);
        }

        return new IotHubMethodResult(status, resultEnvelope);
    }

    /// <summary>The current service token, minted again when less than a tenth of its life is left.</summary>
    internal string ServiceToken()
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_tokenLock)
        {
            if (_token == null || now >= _tokenExpiry - (_options.ServiceTokenLifetimeSeconds / 10))
            {
                string host = _options.HostName ?? throw new InvalidOperationException("SmartSeal:IotHub:HostName is not set");
                byte[] key = Convert.FromBase64String(_options.ServicePolicyKey ?? throw new InvalidOperationException("SmartSeal:IotHub:ServicePolicyKey is not set"));
                _tokenExpiry = now + _options.ServiceTokenLifetimeSeconds;
                _token = IotHubSasToken.Create(host, key, _tokenExpiry, _options.ServicePolicyName);
            }

            return _token;
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path, JsonObject body)
    {
        string endpoint = string.IsNullOrEmpty(_options.ServiceEndpoint) ? "https://" + _options.HostName : _options.ServiceEndpoint;
        var request = new HttpRequestMessage(method, new Uri(new Uri(endpoint.TrimEnd('/') + "/"), path + "?api-version=" + IotHubTopics.ApiVersion))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };

        // The token's scheme is its own first word, so it goes into the header as is.
        request.Headers.TryAddWithoutValidation("Authorization", ServiceToken());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"IoT Hub refused to {what}: {(int)response.StatusCode} {detail}", null, response.StatusCode);
        }
    }
}
