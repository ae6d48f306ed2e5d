using SmartSeal.Protocol.Topics;

namespace SmartSeal.Protocol.Tests.Topics;

/// <summary>The one ACL both the cloud's broker and the simulators' broker apply.</summary>
public class DeviceTopicAclTests
{
    [Theory]
    [InlineData("smartseal/v1/lock-0001/evt", true)]
    [InlineData("smartseal/v1/lock-0001/photo", true)]
    [InlineData("smartseal/v1/lock-0001/cmd", false)]
    [InlineData("smartseal/v1/lock-0002/evt", false)]
    [InlineData("smartseal/v1/+/evt", false)]
    [InlineData("smartseal/v1/#", false)]
    [InlineData("#", false)]
    public void A_device_publishes_only_its_own_device_leaves(string topic, bool allowed)
    {
        Assert.Equal(allowed, DeviceTopicAcl.MayPublish("lock-0001", topic));
    }

    [Theory]
    [InlineData("smartseal/v1/lock-0001/cmd", true)]
    [InlineData("smartseal/v1/lock-0001/ack", true)]
    [InlineData("smartseal/v1/lock-0001/evt", false)]
    [InlineData("smartseal/v1/lock-0002/cmd", false)]
    [InlineData("smartseal/v1/lock-0001/#", false)]
    [InlineData("smartseal/v1/+/cmd", false)]
    [InlineData("#", false)]
    public void A_device_subscribes_only_to_its_own_cloud_leaves(string topic, bool allowed)
    {
        Assert.Equal(allowed, DeviceTopicAcl.MaySubscribe("lock-0001", topic));
    }
}
