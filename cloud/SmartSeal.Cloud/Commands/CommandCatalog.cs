using System.Text;
using System.Text.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// The commands the API can send, which devices handle them, and how a request body becomes a
/// protocol body: the JSON uses the wire field names (shared-protocol/README.md "Messages") and is
/// read by the protocol's own strict decoder, so the API accepts exactly what a device would.
/// Tokens inside commands must verify with the target device's key (signature and audience).
/// </summary>
public static class CommandCatalog
{
    private static readonly Dictionary<string, DeviceKind[]> Handlers = new(StringComparer.Ordinal)
    {
        [MessageTypes.SetState] = [DeviceKind.Lock, DeviceKind.Cabinet],
        [MessageTypes.LocateNow] = [DeviceKind.Lock],
        [MessageTypes.RevokeToken] = [DeviceKind.Lock],
        [MessageTypes.LoadToken] = [DeviceKind.Lock],
        [MessageTypes.DocumentVerdict] = [DeviceKind.Lock],
        [MessageTypes.Dispense] = [DeviceKind.Cabinet],
        [MessageTypes.AcceptReturn] = [DeviceKind.Cabinet],
        [MessageTypes.SetConfig] = [DeviceKind.Cabinet],
    };

    public static IReadOnlyCollection<string> Types => Handlers.Keys;

    /// <summary>
    /// Reads the body of a command of <paramref name="type"/> for <paramref name="device"/>; null
    /// with <paramref name="problems"/> filled when the request is not acceptable.
    /// <c>set-state</c> takes <c>enabled</c> and <c>reason</c> only: its version is the desired
    /// state's, assigned by the cloud.
    /// </summary>
    public static MessageBody? Parse(string? type, JsonElement? json, Device device, byte[] deviceKey, out Dictionary<string, string[]> problems)
    {
        problems = [];
        if (type is null || !Handlers.TryGetValue(type, out DeviceKind[]? kinds))
        {
            problems["type"] = [$"must be one of {string.Join(", ", Handlers.Keys)}"];
            return null;
        }

        if (!kinds.Contains(device.Kind))
        {
            problems["type"] = [$"a {device.Kind.ToString().ToLowerInvariant()} does not handle {type}"];
            return null;
        }

        if (json is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Undefined and not JsonValueKind.Null })
        {
            problems["body"] = ["must be a JSON object"];
            return null;
        }

        string text = json is { ValueKind: JsonValueKind.Object } o ? o.GetRawText() : "{}";
        if (type == MessageTypes.SetState && json is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("version", out _))
        {
            problems["body.version"] = ["is assigned by the cloud (the desired state's next version); leave it out"];
            return null;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(type == MessageTypes.SetState ? WithPlaceholderVersion(text) : text);
        MessageBody body = MessageCodec.Create(type);
        ProtocolError error = MessageCodec.DecodeBody(bytes, 0, bytes.Length, body, out string detail);
        if (error != ProtocolError.None)
        {
            problems["body"] = [detail.Length > 0 ? detail : error.ToString()];
            return null;
        }

        string? token = body switch
        {
            LoadTokenBody load => load.Token,
            DispenseBody dispense => dispense.Token,
            _ => null,
        };
        if (token != null)
        {
            error = new UseTokenVerifier().VerifyStored(token, device.Id, deviceKey, new UseToken(), out detail);
            if (error != ProtocolError.None)
            {
                problems["body.token"] = [$"not a use token for {device.Id}: {error} {detail}"];
                return null;
            }
        }

        return body;
    }

    /// <summary>The decoder requires a version; the real one is set when the desired state is stored.</summary>
    private static string WithPlaceholderVersion(string objectText) =>
        objectText.Trim() == "{}" ? "{\"version\":0}" : "{\"version\":0," + objectText.TrimStart()[1..];
}
