using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Protocol.Tests.Topics;

public class DeviceTopicsTests
{
    [Theory]
    [InlineData(TopicKind.Events, "smartseal/v1/lock-0001/evt")]
    [InlineData(TopicKind.Telemetry, "smartseal/v1/lock-0001/tele")]
    [InlineData(TopicKind.Status, "smartseal/v1/lock-0001/status")]
    [InlineData(TopicKind.CommandResults, "smartseal/v1/lock-0001/res")]
    [InlineData(TopicKind.Photos, "smartseal/v1/lock-0001/photo")]
    [InlineData(TopicKind.Commands, "smartseal/v1/lock-0001/cmd")]
    [InlineData(TopicKind.DesiredState, "smartseal/v1/lock-0001/desired")]
    [InlineData(TopicKind.Acks, "smartseal/v1/lock-0001/ack")]
    public void Builds_and_parses_every_topic(TopicKind kind, string topic)
    {
        Assert.Equal(topic, DeviceTopics.For("lock-0001", kind));
        Assert.Equal(kind, DeviceTopics.Parse(topic, out string? device));
        Assert.Equal("lock-0001", device);
        Assert.NotEqual(DeviceTopics.IsPublishedByDevice(kind), DeviceTopics.IsPublishedByCloud(kind));
    }

    [Theory]
    [InlineData("smartseal/v1/+/evt")]
    [InlineData("smartseal/v1/#")]
    [InlineData("smartseal/v1/lock-0001/evt/extra")]
    [InlineData("smartseal/v2/lock-0001/evt")]
    [InlineData("smartseal/v1/lock-0001/other")]
    [InlineData("smartseal/v1//evt")]
    [InlineData("smartseal/v1/lock-0001")]
    [InlineData("")]
    public void Anything_outside_the_scheme_is_unknown(string topic)
    {
        Assert.Equal(TopicKind.Unknown, DeviceTopics.Parse(topic, out string? device));
        Assert.Null(device);
    }

    [Fact]
    public void Cloud_filters_use_wildcards_and_shared_subscriptions()
    {
        Assert.Equal("smartseal/v1/+/evt", DeviceTopics.AllDevices(TopicKind.Events));
        Assert.Equal("$share/smartseal-cloud/smartseal/v1/+/tele", DeviceTopics.SharedAllDevices(TopicKind.Telemetry));
    }

    [Fact]
    public void Message_types_only_arrive_on_their_own_topic()
    {
        Assert.Equal(ProtocolError.None, MessageTypes.CheckArrival(MessageTypes.Stamped, TopicKind.Events));
        Assert.Equal(ProtocolError.EnvelopeWrongDirection, MessageTypes.CheckArrival(MessageTypes.Stamped, TopicKind.Commands));
        Assert.Equal(ProtocolError.EnvelopeWrongDirection, MessageTypes.CheckArrival(MessageTypes.Dispense, TopicKind.Events));
        Assert.Equal(ProtocolError.EnvelopeUnknownType, MessageTypes.CheckArrival("launch-missiles", TopicKind.Commands));
    }
}
