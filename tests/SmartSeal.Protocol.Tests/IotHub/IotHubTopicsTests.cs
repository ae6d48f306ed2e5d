using System.Text;
using SmartSeal.Protocol.IotHub;

namespace SmartSeal.Protocol.Tests.IotHub;

/// <summary>The IoT Hub MQTT topics SmartSeal uses, built and parsed.</summary>
public class IotHubTopicsTests
{
    [Fact]
    public void Device_to_cloud_topic_names_the_leaf_and_declares_json()
    {
        string topic = IotHubTopics.Events("lock-0001", "evt");
        Assert.Equal("devices/lock-0001/messages/events/leaf=evt&%24.ct=application%2Fjson&%24.ce=utf-8", topic);

        Assert.True(IotHubTopics.TryParseEvents(topic, out string? id, out string? bag));
        Assert.Equal("lock-0001", id);
        Assert.Equal("evt", IotHubPropertyBag.Get(bag, IotHubTopics.LeafProperty));
        Assert.Equal("application/json", IotHubPropertyBag.Get(bag, "$.ct"));
        Assert.Null(IotHubPropertyBag.Get(bag, "absent"));
    }

    [Theory]
    [InlineData("devices/lock-0001/messages/events/")]
    [InlineData("devices/lock-0001/messages/events/leaf=evt")]
    public void Events_topics_with_or_without_a_bag_parse(string topic)
    {
        Assert.True(IotHubTopics.TryParseEvents(topic, out string? id, out _));
        Assert.Equal("lock-0001", id);
    }

    [Theory]
    [InlineData("devices/lock-0001/messages/event/leaf=evt")]
    [InlineData("devices/lock 1/messages/events/")]
    [InlineData("devices/lock-0001/messages/events/a/b")]
    [InlineData("devices/lock-0001/messages/devicebound/leaf=ack")]
    [InlineData("smartseal/v1/lock-0001/evt")]
    public void Other_topics_are_not_events(string topic)
    {
        Assert.False(IotHubTopics.TryParseEvents(topic, out _, out _));
    }

    [Fact]
    public void Twin_and_method_topics_round_trip()
    {
        Assert.Equal("$iothub/twin/GET/?$rid=7", IotHubTopics.TwinGet("7"));
        Assert.True(IotHubTopics.TryParseTwinResponse("$iothub/twin/res/200/?$rid=7&$version=3", out int status, out string? rid));
        Assert.Equal(200, status);
        Assert.Equal("7", rid);
        Assert.True(IotHubTopics.TryParseTwinResponse(IotHubTopics.TwinResponse(429, "8"), out status, out rid));
        Assert.Equal((429, "8"), (status, rid));
        Assert.False(IotHubTopics.TryParseTwinResponse("$iothub/twin/res/20/?$rid=7", out _, out _));

        Assert.True(IotHubTopics.IsDesiredPatch(IotHubTopics.DesiredPatch(12)));
        Assert.Equal("$iothub/twin/PATCH/properties/desired/?$version=12", IotHubTopics.DesiredPatch(12));

        Assert.True(IotHubTopics.TryParseMethodRequest("$iothub/methods/POST/load-token/?$rid=1f", out string? name, out rid));
        Assert.Equal(("load-token", "1f"), (name, rid));
        Assert.False(IotHubTopics.TryParseMethodRequest("$iothub/methods/POST//?$rid=1", out _, out _));
        Assert.False(IotHubTopics.TryParseMethodRequest("$iothub/methods/POST/locate/", out _, out _));

        Assert.Equal("$iothub/methods/res/200/?$rid=1f", IotHubTopics.MethodResponse(200, "1f"));
        Assert.True(IotHubTopics.TryParseMethodResponse(IotHubTopics.MethodResponse(202, "1f"), out status, out rid));
        Assert.Equal((202, "1f"), (status, rid));

        Assert.Equal("devices/lock-0001/messages/devicebound/#", IotHubTopics.DeviceBound("lock-0001"));
        Assert.True(IotHubTopics.TryParseDeviceBound("devices/lock-0001/messages/devicebound/%24.to=%2Fdevices%2Flock-0001%2Fmessages%2Fdevicebound&leaf=ack", out string? id, out string? bag));
        Assert.Equal("lock-0001", id);
        Assert.Equal("ack", IotHubPropertyBag.Get(bag, "leaf"));
        Assert.Equal("/devices/lock-0001/messages/devicebound", IotHubPropertyBag.Get(bag, "$.to"));
    }

    [Fact]
    public void An_envelope_survives_the_json_string_wrapping_byte_for_byte()
    {
        byte[] envelope = Encoding.UTF8.GetBytes("{\"v\":1,\"dev\":\"lock-0001\",\"body\":{\"note\":\"quote \\\" and ü\"},\"mac\":\"x\"}");
        byte[] wrapped = IotHubPayloads.WrapEnvelope(envelope);
        Assert.Equal(System.Text.Json.JsonValueKind.String, System.Text.Json.JsonDocument.Parse(wrapped).RootElement.ValueKind);
        Assert.Equal(envelope, IotHubPayloads.UnwrapEnvelope(wrapped));

        // Re-serialised by someone else (a hub), e.g. with \u escapes: same characters, same bytes.
        byte[] reserialised = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Encoding.UTF8.GetString(envelope));
        Assert.NotEqual(wrapped, reserialised);
        Assert.Equal(envelope, IotHubPayloads.UnwrapEnvelope(reserialised));

        Assert.Null(IotHubPayloads.UnwrapEnvelope(Encoding.UTF8.GetBytes("{\"a\":1}")));
        Assert.Null(IotHubPayloads.UnwrapEnvelope(Encoding.UTF8.GetBytes("\"a\" \"b\"")));
        Assert.Null(IotHubPayloads.UnwrapEnvelope([]));
    }

    [Fact]
    public void The_desired_property_is_read_from_a_full_twin_and_from_a_patch()
    {
        byte[] twin = Encoding.UTF8.GetBytes("{\"desired\":{\"other\":{\"x\":[1,2]},\"smartseal\":\"{\\\"v\\\":1}\",\"$version\":5},\"reported\":{\"smartseal\":\"no\",\"$version\":2}}");
        Assert.Equal(ProtocolError.None, IotHubPayloads.ReadDesiredFromTwin(twin, "smartseal", out string? value, out long version));
        Assert.Equal("{\"v\":1}", value);
        Assert.Equal(5, version);

        byte[] empty = Encoding.UTF8.GetBytes("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
        Assert.Equal(ProtocolError.None, IotHubPayloads.ReadDesiredFromTwin(empty, "smartseal", out value, out version));
        Assert.Null(value);

        byte[] patch = Encoding.UTF8.GetBytes("{\"smartseal\":\"e\",\"$version\":6}");
        Assert.Equal(ProtocolError.None, IotHubPayloads.ReadDesiredFromPatch(patch, "smartseal", out value, out version));
        Assert.Equal(("e", 6L), (value, version));

        byte[] removed = Encoding.UTF8.GetBytes("{\"smartseal\":null,\"$version\":7}");
        Assert.Equal(ProtocolError.None, IotHubPayloads.ReadDesiredFromPatch(removed, "smartseal", out value, out _));
        Assert.Null(value);

        Assert.NotEqual(ProtocolError.None, IotHubPayloads.ReadDesiredFromPatch(Encoding.UTF8.GetBytes("{\"smartseal\":5}"), "smartseal", out _, out _));
        Assert.NotEqual(ProtocolError.None, IotHubPayloads.ReadDesiredFromTwin(Encoding.UTF8.GetBytes("{\"desired\":"), "smartseal", out _, out _));
    }
}
