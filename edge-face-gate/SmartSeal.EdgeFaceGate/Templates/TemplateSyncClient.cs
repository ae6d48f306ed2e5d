using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate.Templates;

/// <summary>
/// Fetches the gate's template set from <c>GET /api/gates/{id}/templates</c> (signed with the
/// device key) and checks the response MAC before anything of it is used.
/// </summary>
public sealed class TemplateSyncClient(HttpClient http, string gateId, byte[] gateKey, TimeProvider time)
{
    public string Path => $"/api/gates/{Uri.EscapeDataString(gateId)}/templates";

    /// <summary>The verified set and the size of the response body in bytes.</summary>
    public async Task<(GateTemplateSet Set, int Bytes)> FetchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.TryAddWithoutValidation("Authorization", DeviceRequestSignature.Header(gateId, gateKey, "GET", Path, time.GetUtcNow().ToUnixTimeMilliseconds()));
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new TemplateSyncException($"template sync: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300))}");
        }

        byte[]? mac = response.Headers.TryGetValues(DeviceRequestSignature.ResponseMacHeader, out var values) ? Base64Url.Decode(values.First()) : null;
        if (mac is null || !Mac.Verify(gateKey, body, mac))
        {
            throw new TemplateSyncException("template sync: response MAC missing or wrong (not from the cloud, or altered)");
        }

        GateTemplateSet set = GateTemplateSet.Parse(body);
        if (set.GateId != gateId)
        {
            throw new TemplateSyncException($"template sync: set is for {set.GateId}, not {gateId}");
        }

        return (set, body.Length);
    }
}
