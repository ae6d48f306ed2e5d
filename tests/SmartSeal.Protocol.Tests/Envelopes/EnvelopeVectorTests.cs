using System.Text;
using System.Text.Json;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tests.Envelopes;

/// <summary>Golden envelopes computed outside .NET; checked in both directions, bodies included.</summary>
public class EnvelopeVectorTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "envelopes.json"))).RootElement;

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Root.GetProperty("envelopes").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static (JsonElement V, byte[] Key) Load(int index)
    {
        JsonElement v = Root.GetProperty("envelopes")[index];
        byte[] key = DeviceKeys.Derive(Convert.FromHexString(Root.GetProperty("masterKeyHex").GetString()!), v.GetProperty("deviceId").GetString()!, v.GetProperty("keyVersion").GetInt32());
        return (v, key);
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Encoding_the_vector_object_gives_exactly_its_bytes(int index)
    {
        var (v, key) = Load(index);

        // The body is re-created from its message class, so body encoding is pinned too.
        byte[] bodyBytes = Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!);
        MessageBody body = MessageCodec.Create(v.GetProperty("type").GetString()!)!;
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(bodyBytes, 0, bodyBytes.Length, body, out _));
        Assert.Equal(bodyBytes, MessageCodec.EncodeBody(body));

        var envelope = new Envelope
        {
            DeviceId = v.GetProperty("deviceId").GetString(),
            Seq = v.GetProperty("seq").GetInt64(),
            Time = v.GetProperty("ts").GetInt64(),
            Expires = v.GetProperty("exp").GetInt64(),
            Type = v.GetProperty("type").GetString(),
            Id = v.GetProperty("id").GetString(),
        };
        envelope.SetBody(MessageCodec.EncodeBody(body));

        Assert.Equal(v.GetProperty("canonicalHex").GetString(), Convert.ToHexStringLower(EnvelopeCodec.CanonicalBytes(envelope)));
        Assert.Equal(v.GetProperty("wire").GetString(), Encoding.UTF8.GetString(EnvelopeCodec.Encode(envelope, key)));
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Decoding_the_vector_bytes_gives_exactly_its_object(int index)
    {
        var (v, key) = Load(index);
        byte[] wire = Encoding.UTF8.GetBytes(v.GetProperty("wire").GetString()!);
        var envelope = new Envelope();

        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(wire, 0, wire.Length, envelope, out _));
        Assert.True(EnvelopeCodec.VerifyMac(envelope, key));
        Assert.Equal(v.GetProperty("deviceId").GetString(), envelope.DeviceId);
        Assert.Equal(v.GetProperty("seq").GetInt64(), envelope.Seq);
        Assert.Equal(v.GetProperty("ts").GetInt64(), envelope.Time);
        Assert.Equal(v.GetProperty("exp").GetInt64(), envelope.Expires);
        Assert.Equal(v.GetProperty("type").GetString(), envelope.Type);
        Assert.Equal(v.GetProperty("id").GetString(), envelope.Id);
        Assert.Equal(v.GetProperty("body").GetString(), Encoding.UTF8.GetString(envelope.CopyBody()));
        Assert.Equal(v.GetProperty("mac").GetString(), SmartSeal.Protocol.Text.Base64Url.Encode(envelope.Mac));
    }
}
