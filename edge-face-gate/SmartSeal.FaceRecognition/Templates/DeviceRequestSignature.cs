using System.Text;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;

namespace SmartSeal.FaceRecognition.Templates;

/// <summary>
/// How a gate authenticates an HTTPS request with its device key (no password, no token to store):
/// <c>Authorization: SmartSeal-Device {deviceId} {unixMs} {base64url(HMAC(K_dev, METHOD\npath\nunixMs))}</c>.
/// The cloud accepts a time within <see cref="MaxSkewMs"/> of its clock. The response body comes
/// back with <c>X-SmartSeal-Mac: base64url(HMAC(K_dev, body))</c>, so the gate also knows the
/// templates came from the cloud and were not altered, even on a plain-HTTP test link.
/// </summary>
public static class DeviceRequestSignature
{
    public const string Scheme = "SmartSeal-Device";
    public const string ResponseMacHeader = "X-SmartSeal-Mac";
    public const long MaxSkewMs = 5 * 60 * 1000;

    public static string Header(string deviceId, byte[] key, string method, string path, long nowMs) =>
        $"{Scheme} {deviceId} {nowMs} {Base64Url.Encode(Mac.Compute(key, Signed(method, path, nowMs)))}";

    /// <summary>Splits the header; null when it is not this scheme or is malformed.</summary>
    public static (string DeviceId, long TimeMs, byte[] Mac)? Parse(string? header)
    {
        string[] parts = (header ?? string.Empty).Split(' ');
        if (parts.Length != 4 || parts[0] != Scheme || !long.TryParse(parts[2], out long ms))
        {
            return null;
        }

        byte[]? mac = Base64Url.Decode(parts[3]);
        return mac is { Length: Mac.Length } ? (parts[1], ms, mac) : null;
    }

    public static bool Verify(byte[] key, string method, string path, long timeMs, byte[] mac, long nowMs) =>
        Math.Abs(nowMs - timeMs) <= MaxSkewMs && Mac.FixedTimeEquals(Mac.Compute(key, Signed(method, path, timeMs)), mac);

    public static string BodyMac(byte[] key, byte[] body) => Base64Url.Encode(Mac.Compute(key, body));

    private static byte[] Signed(string method, string path, long ms) => Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()}\n{path}\n{ms}");
}
