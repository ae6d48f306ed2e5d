using System.Text;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Tests.Envelopes;

public class EnvelopeCodecTests
{
    private const string Device = "lock-0001";
    private static readonly byte[] Key = TestKeys.Device(Device);

    private static Envelope Sample(string body = "{\"reason\":\"outside-geofence\",\"n\":3}")
    {
        var envelope = new Envelope
        {
            DeviceId = Device,
            Seq = 42,
            Time = 1_800_000_000_123,
            Type = "refused",
        };
        envelope.SetBody(Encoding.UTF8.GetBytes(body));
        return envelope;
    }

    private static (ProtocolError Error, Envelope Envelope, string Detail) Decode(string wire)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(wire);
        var envelope = new Envelope();
        ProtocolError error = EnvelopeCodec.Decode(bytes, 0, bytes.Length, envelope, out string detail);
        return (error, envelope, detail);
    }

    [Fact]
    public void Encodes_the_documented_wire_form()
    {
        string wire = Encoding.UTF8.GetString(EnvelopeCodec.Encode(Sample(), Key));
        Assert.StartsWith("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":42,\"ts\":1800000000123,\"type\":\"refused\",\"body\":{\"reason\":\"outside-geofence\",\"n\":3},\"mac\":\"", wire);
        Assert.EndsWith("\"}", wire);
    }

    [Fact]
    public void Canonical_bytes_are_the_label_header_lines_and_the_body_verbatim()
    {
        Envelope envelope = Sample();
        envelope.Expires = 1_800_000_060_000;
        envelope.Id = "cmd-7";
        string canonical = Encoding.UTF8.GetString(EnvelopeCodec.CanonicalBytes(envelope));
        Assert.Equal("SMARTSEAL-ENVELOPE-V1\n1\nlock-0001\n42\n1800000000123\n1800000060000\nrefused\ncmd-7\n{\"reason\":\"outside-geofence\",\"n\":3}", canonical);
    }

    [Fact]
    public void Round_trips_and_verifies_with_the_device_key_only()
    {
        Envelope original = Sample();
        original.Expires = 1_800_000_060_000;
        original.Id = "cmd-7";
        var (error, decoded, _) = Decode(Encoding.UTF8.GetString(EnvelopeCodec.Encode(original, Key)));

        Assert.Equal(ProtocolError.None, error);
        Assert.Equal(original.DeviceId, decoded.DeviceId);
        Assert.Equal(original.Seq, decoded.Seq);
        Assert.Equal(original.Time, decoded.Time);
        Assert.Equal(original.Expires, decoded.Expires);
        Assert.Equal(original.Type, decoded.Type);
        Assert.Equal(original.Id, decoded.Id);
        Assert.Equal(original.CopyBody(), decoded.CopyBody());
        Assert.True(EnvelopeCodec.VerifyMac(decoded, Key));
        Assert.False(EnvelopeCodec.VerifyMac(decoded, TestKeys.Device("lock-0002")));
        Assert.False(EnvelopeCodec.VerifyMac(decoded, TestKeys.Device(Device, 2)));
    }

    [Fact]
    public void The_body_is_covered_byte_for_byte_even_where_json_would_not_care()
    {
        string wire = Encoding.UTF8.GetString(EnvelopeCodec.Encode(Sample(), Key));
        string spaced = wire.Replace("{\"reason\"", "{ \"reason\"");
        var (error, decoded, _) = Decode(spaced);
        Assert.Equal(ProtocolError.None, error);
        Assert.False(EnvelopeCodec.VerifyMac(decoded, Key));
    }

    [Fact]
    public void Changing_any_single_byte_of_a_signed_envelope_is_detected()
    {
        byte[] wire = EnvelopeCodec.Encode(Sample(), Key);
        for (int i = 0; i < wire.Length; i++)
        {
            foreach (byte replacement in new byte[] { (byte)'0', (byte)'A', (byte)'"', (byte)'}' })
            {
                if (wire[i] == replacement)
                {
                    continue;
                }

                byte[] changed = (byte[])wire.Clone();
                changed[i] = replacement;
                var envelope = new Envelope();
                ProtocolError error = EnvelopeCodec.Decode(changed, 0, changed.Length, envelope, out _);
                bool accepted = error == ProtocolError.None && EnvelopeCodec.VerifyMac(envelope, Key);
                Assert.False(accepted, $"byte {i} changed to '{(char)replacement}' was accepted");
            }
        }
    }

    [Fact]
    public void Header_fields_cannot_be_moved_into_the_body_or_the_body_changed()
    {
        Envelope envelope = Sample();
        byte[] wire = EnvelopeCodec.Encode(envelope, Key);
        string text = Encoding.UTF8.GetString(wire);
        string reordered = text.Replace("\"seq\":42", "\"seq\":43");
        var (error, decoded, _) = Decode(reordered);
        Assert.Equal(ProtocolError.None, error);
        Assert.False(EnvelopeCodec.VerifyMac(decoded, Key));
    }

    [Theory]
    [InlineData("", ProtocolError.JsonMalformed)]
    [InlineData("[]", ProtocolError.JsonUnexpectedType)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{}", ProtocolError.JsonMalformed)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{}}", ProtocolError.EnvelopeMissingField)]
    [InlineData("{\"v\":2,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.EnvelopeBadVersion)]
    [InlineData("{\"v\":1,\"dev\":\"lock/0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.EnvelopeBadDeviceId)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"Boot!\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.EnvelopeBadType)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":-1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.EnvelopeBadSequence)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"id\":\"a b\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.EnvelopeBadId)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAA\"}", ProtocolError.EnvelopeBadMac)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}", ProtocolError.EnvelopeBadMac)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"seq\":2,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.JsonDuplicateProperty)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"extra\":1}", ProtocolError.EnvelopeUnknownField)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":[],\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.JsonUnexpectedType)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1.5,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", ProtocolError.JsonNumberNotInteger)]
    [InlineData("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":1,\"ts\":1,\"type\":\"boot\",\"body\":{},\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"} x", ProtocolError.JsonTrailingData)]
    public void Malformed_envelopes_get_a_specific_error(string wire, ProtocolError expected)
    {
        var (error, _, detail) = Decode(wire);
        Assert.Equal(expected, error);
        Assert.False(string.IsNullOrEmpty(detail));
    }

    [Fact]
    public void Every_truncation_of_a_valid_envelope_is_refused()
    {
        byte[] wire = EnvelopeCodec.Encode(Sample(), Key);
        for (int length = 0; length < wire.Length; length++)
        {
            var envelope = new Envelope();
            Assert.NotEqual(ProtocolError.None, EnvelopeCodec.Decode(wire, 0, length, envelope, out _));
        }
    }

    [Fact]
    public void Oversized_envelopes_and_bodies_are_refused()
    {
        var envelope = new Envelope();
        byte[] huge = new byte[EnvelopeCodec.MaxEnvelopeBytes + 1];
        Assert.Equal(ProtocolError.JsonTooLarge, EnvelopeCodec.Decode(huge, 0, huge.Length, envelope, out _));

        Envelope big = Sample("{\"x\":\"" + new string('a', EnvelopeCodec.MaxBodyBytes) + "\"}");
        Assert.Equal(ProtocolError.EnvelopeBodyTooLarge, Assert.Throws<ProtocolException>(() => EnvelopeCodec.Encode(big, Key)).Error);

        // Larger than a whole envelope: still the protocol's refusal, not an argument error from the writer.
        Envelope huger = Sample("{\"x\":\"" + new string('a', EnvelopeCodec.MaxEnvelopeBytes) + "\"}");
        Assert.Equal(ProtocolError.EnvelopeBodyTooLarge, Assert.Throws<ProtocolException>(() => EnvelopeCodec.Encode(huger, Key)).Error);
    }

    [Fact]
    public void Encoding_into_a_reused_writer_gives_identical_bytes()
    {
        var writer = new JsonWriter(64, EnvelopeCodec.MaxEnvelopeBytes);
        EnvelopeCodec.Encode(Sample(), Key, writer);
        byte[] first = writer.ToArray();
        EnvelopeCodec.Encode(Sample(), Key, writer);
        Assert.Equal(first, writer.ToArray());
        Assert.Equal(first, EnvelopeCodec.Encode(Sample(), Key));
    }
}
