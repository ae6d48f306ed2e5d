using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Tests;

/// <summary>
/// The cloud's side of a device conversation in tests: signs commands the way the cloud does
/// (fresh counter, expiry, the device's key) and decodes and MAC-checks what the device published.
/// </summary>
public sealed class TestCloud(string deviceId, byte[] key, FakeClock clock, FakeCloudLink link)
{
    private long _commandCounter;

    /// <summary>The device key, for checking what the device MAC'd.</summary>
    public byte[] Key => key;

    public string LastTopic { get; private set; } = string.Empty;

    public byte[] LastPayload { get; private set; } = Array.Empty<byte>();

    /// <summary>Signs and delivers one cloud → device message; returns its command id.</summary>
    public string Send(MessageBody body, string? id = null, byte[]? signingKey = null, long? counter = null)
    {
        _commandCounter = counter ?? _commandCounter + 1;
        string commandId = id ?? "cmd-" + _commandCounter;
        var envelope = new Envelope { DeviceId = deviceId, Seq = _commandCounter, Time = clock.UtcNowMs, Expires = clock.UtcNowMs + 60_000, Type = body.Type, Id = commandId };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        LastTopic = DeviceTopics.For(deviceId, MessageTypes.TopicOf(body.Type));
        LastPayload = EnvelopeCodec.Encode(envelope, signingKey ?? key);
        link.Deliver(LastTopic, LastPayload);
        return commandId;
    }

    /// <summary>Every message the device published, decoded and MAC-checked, oldest first.</summary>
    public List<(Envelope Envelope, MessageBody Body)> Published()
    {
        var result = new List<(Envelope, MessageBody)>();
        foreach (PublishedMessage message in link.Published)
        {
            var envelope = new Envelope();
            Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(message.Payload, 0, message.Payload.Length, envelope, out _));
            Assert.True(EnvelopeCodec.VerifyMac(envelope, key));
            MessageBody body = MessageCodec.Create(envelope.Type)!;
            ProtocolError error = MessageCodec.DecodeBody(envelope, body, out string detail);
            Assert.True(error == ProtocolError.None, $"{envelope.Type}: {error} {detail}");
            result.Add((new Envelope { Seq = envelope.Seq, Type = envelope.Type }, body));
        }

        return result;
    }

    public IEnumerable<T> Bodies<T>() => Published().Select(p => p.Body).OfType<T>();
}
