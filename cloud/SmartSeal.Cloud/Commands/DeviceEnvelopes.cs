using System.Text;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Commands;

/// <summary>Signs what the cloud sends a device: commands (counter, issued-at, expiry, id) and the retained desired state.</summary>
public static class DeviceEnvelopes
{
    public static byte[] Command(string deviceId, byte[] key, MessageBody body, string commandId, long counter, long issuedMs, long expiresMs)
    {
        var envelope = new Envelope { DeviceId = deviceId, Seq = counter, Time = issuedMs, Expires = expiresMs, Type = body.Type, Id = commandId };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, key);
    }

    /// <summary>Desired state: seq 0 and no expiry (it is state, ordered by its own version, not a command).</summary>
    public static byte[] DesiredState(string deviceId, byte[] key, DesiredStateBody body, long timeMs)
    {
        var envelope = new Envelope { DeviceId = deviceId, Seq = 0, Time = timeMs, Type = body.Type, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, key);
    }

    public static string BodyText(MessageBody body) => Encoding.UTF8.GetString(MessageCodec.EncodeBody(body));
}
