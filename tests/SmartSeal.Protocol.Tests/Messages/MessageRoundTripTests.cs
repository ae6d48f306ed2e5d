using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Protocol.Tests.Messages;

public class MessageRoundTripTests
{
    private const string Device = "lock-0001";
    private static readonly byte[] Key = TestKeys.Device(Device);

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (string type in SampleBodies.AllTypes())
        {
            data.Add(type);
        }

        return data;
    }

    private static void AssertSameFields(object expected, object actual)
    {
        foreach (FieldInfo field in expected.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object? e = field.GetValue(expected), a = field.GetValue(actual);
            if (e is GeoFix fix)
            {
                AssertSameFields(fix, a!);
            }
            else
            {
                Assert.True(Equals(e, a) || (e is System.Collections.IEnumerable ee && a is System.Collections.IEnumerable ae && ee.Cast<object>().SequenceEqual(ae.Cast<object>())), $"{expected.GetType().Name}.{field.Name}: {e} != {a}");
            }
        }
    }

    [Fact]
    public void Every_message_type_has_a_body_and_a_topic()
    {
        foreach (string type in SampleBodies.AllTypes())
        {
            Assert.NotNull(MessageCodec.Create(type));
            Assert.Equal(type, MessageCodec.Create(type)!.Type);
            Assert.NotEqual(SmartSeal.Protocol.Topics.TopicKind.Unknown, MessageTypes.TopicOf(type));
        }

        Assert.Null(MessageCodec.Create("no-such-type"));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_body_round_trips_through_a_signed_envelope(string type)
    {
        MessageBody original = SampleBodies.Filled(type);
        Envelope envelope = MessageCodec.Wrap(original, Device, 77, 1_800_000_000_000);
        byte[] wire = EnvelopeCodec.Encode(envelope, Key);

        var received = new Envelope();
        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(wire, 0, wire.Length, received, out _));
        Assert.True(EnvelopeCodec.VerifyMac(received, Key));
        MessageBody decoded = MessageCodec.Create(received.Type)!;
        ProtocolError error = MessageCodec.DecodeBody(received, decoded, out string detail);
        Assert.True(error == ProtocolError.None, detail);
        AssertSameFields(original, decoded);
        Assert.Equal(MessageCodec.EncodeBody(original), MessageCodec.EncodeBody(decoded));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Removing_a_field_either_is_allowed_or_names_the_missing_field(string type)
    {
        JsonObject json = JsonNode.Parse(MessageCodec.EncodeBody(SampleBodies.Filled(type)))!.AsObject();
        foreach (string name in json.Select(p => p.Key).ToList())
        {
            JsonObject without = JsonNode.Parse(json.ToJsonString())!.AsObject();
            without.Remove(name);
            byte[] bytes = Encoding.UTF8.GetBytes(without.ToJsonString());
            ProtocolError error = MessageCodec.DecodeBody(bytes, 0, bytes.Length, MessageCodec.Create(type)!, out string detail);
            if (error != ProtocolError.None)
            {
                Assert.Equal(ProtocolError.MessageMissingField, error);
                Assert.Contains(name, detail);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Wrong_types_duplicates_and_trailing_data_are_refused_unknown_fields_ignored(string type)
    {
        string json = Encoding.UTF8.GetString(MessageCodec.EncodeBody(SampleBodies.Filled(type)));
        JsonObject obj = JsonNode.Parse(json)!.AsObject();

        foreach (string name in obj.Select(p => p.Key).ToList())
        {
            JsonObject wrong = JsonNode.Parse(json)!.AsObject();
            wrong[name] = new JsonObject { ["x"] = JsonValue.Create(true) };
            byte[] bytes = Encoding.UTF8.GetBytes(wrong.ToJsonString());
            Assert.NotEqual(ProtocolError.None, MessageCodec.DecodeBody(bytes, 0, bytes.Length, MessageCodec.Create(type)!, out _));
        }

        if (obj.Count > 0)
        {
            var (name, value) = (obj.First().Key, obj.First().Value!.ToJsonString());
            byte[] duplicate = Encoding.UTF8.GetBytes("{\"" + name + "\":" + value + "," + json[1..]);
            Assert.Equal(ProtocolError.JsonDuplicateProperty, MessageCodec.DecodeBody(duplicate, 0, duplicate.Length, MessageCodec.Create(type)!, out _));
        }

        byte[] unknown = Encoding.UTF8.GetBytes("{\"future\":{\"a\":[1]}" + (obj.Count > 0 ? "," : string.Empty) + json[1..]);
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(unknown, 0, unknown.Length, MessageCodec.Create(type)!, out _));

        byte[] trailing = Encoding.UTF8.GetBytes(json + "{}");
        Assert.Equal(ProtocolError.JsonTrailingData, MessageCodec.DecodeBody(trailing, 0, trailing.Length, MessageCodec.Create(type)!, out _));
    }

    [Theory]
    [InlineData("{\"cmp\":0,\"seal\":\"s\",\"tag\":\"t\",\"token\":\"a.b.c\"}", ProtocolError.MessageBadField)] // compartment 0
    [InlineData("{\"cmp\":1,\"seal\":\"bad id\",\"tag\":\"t\",\"token\":\"a.b.c\"}", ProtocolError.MessageBadField)]
    [InlineData("{\"cmp\":1.5,\"seal\":\"s\",\"tag\":\"t\",\"token\":\"a.b.c\"}", ProtocolError.MessageBadField)]
    [InlineData("{\"cmp\":1,\"seal\":\"s\",\"tag\":\"t\"}", ProtocolError.MessageMissingField)]
    [InlineData("[]", ProtocolError.JsonUnexpectedType)]
    public void Dispense_bodies_are_validated(string json, ProtocolError expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Assert.Equal(expected, MessageCodec.DecodeBody(bytes, 0, bytes.Length, new DispenseBody(), out _));
    }

    [Fact]
    public void Enum_values_travel_as_names_and_unknown_names_are_refused()
    {
        var refused = new RefusedBody { Reason = RefusalReason.OutsideGeofence, Detail = "fix 120 m outside", Fix = SampleBodies.Fix() };
        string json = Encoding.UTF8.GetString(MessageCodec.EncodeBody(refused));
        Assert.Contains("\"reason\":\"outside-geofence\"", json);
        byte[] bad = Encoding.UTF8.GetBytes(json.Replace("outside-geofence", "outside-universe"));
        Assert.Equal(ProtocolError.MessageBadField, MessageCodec.DecodeBody(bad, 0, bad.Length, new RefusedBody(), out _));
        Assert.Equal(WireNames.RefusalReasons.Length, Enum.GetValues<RefusalReason>().Length);
        Assert.Equal(WireNames.AlarmTypes.Length, Enum.GetValues<AlarmType>().Length);
    }

    [Fact]
    public void A_body_decoded_into_a_reused_instance_carries_nothing_over()
    {
        var body = new RefusedBody();
        byte[] full = MessageCodec.EncodeBody(new RefusedBody { Reason = RefusalReason.Busy, Detail = "x", TokenId = "tok-1", Fix = SampleBodies.Fix() });
        byte[] minimal = MessageCodec.EncodeBody(new RefusedBody { Reason = RefusalReason.Disabled });
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(full, 0, full.Length, body, out _));
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(minimal, 0, minimal.Length, body, out _));
        Assert.Null(body.Detail);
        Assert.Null(body.TokenId);
        Assert.Null(body.Fix);
        Assert.Equal(RefusalReason.Disabled, body.Reason);
    }
}
