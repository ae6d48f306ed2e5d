namespace SmartSeal.Protocol.Topics
{
    /// <summary>
    /// The per-device topic ACL (DESIGN.md §4), the one rule every broker applies (the cloud's
    /// embedded broker and the simulators' broker): a device publishes only to its own
    /// device-published leaves and subscribes only to its own cloud-published leaves. No wildcards
    /// for devices.
    /// </summary>
    public static class DeviceTopicAcl
    {
        public static bool MayPublish(string deviceId, string topic)
        {
            string owner;
            TopicKind kind = DeviceTopics.Parse(topic, out owner);
            return kind != TopicKind.Unknown && owner == deviceId && DeviceTopics.IsPublishedByDevice(kind);
        }

        public static bool MaySubscribe(string deviceId, string topicFilter)
        {
            string owner;
            TopicKind kind = DeviceTopics.Parse(topicFilter, out owner);
            return kind != TopicKind.Unknown && owner == deviceId && DeviceTopics.IsPublishedByCloud(kind);
        }
    }
}
