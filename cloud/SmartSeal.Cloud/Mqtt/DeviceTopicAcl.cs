using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// The per-device topic ACL (DESIGN.md §4): a device publishes only to its own device-published
/// leaves and subscribes only to its own cloud-published leaves. No wildcards for devices.
/// </summary>
public static class DeviceTopicAcl
{
    public static bool MayPublish(string deviceId, string topic)
    {
        TopicKind kind = DeviceTopics.Parse(topic, out string? owner);
        return kind != TopicKind.Unknown && owner == deviceId && DeviceTopics.IsPublishedByDevice(kind);
    }

    public static bool MaySubscribe(string deviceId, string topicFilter)
    {
        TopicKind kind = DeviceTopics.Parse(topicFilter, out string? owner);
        return kind != TopicKind.Unknown && owner == deviceId && DeviceTopics.IsPublishedByCloud(kind);
    }
}
