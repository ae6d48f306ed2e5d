using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Topics
{
    /// <summary>
    /// Builds and parses every topic of a device's subtree, <c>smartseal/v1/{deviceId}/{leaf}</c>,
    /// and the cloud's subscription filters (plain or shared for scale-out). The one place topic
    /// strings are spelled.
    /// </summary>
    public static class DeviceTopics
    {
        public const string Root = "smartseal/v1/";

        /// <summary>Shared-subscription group the cloud instances join (<c>$share/{group}/...</c>).</summary>
        public const string SharedGroup = "smartseal-cloud";

        public static string For(string deviceId, TopicKind kind)
        {
            if (!DeviceId.IsValid(deviceId))
            {
                throw new ProtocolException(ProtocolError.EnvelopeBadDeviceId, "invalid device id");
            }

            return Root + deviceId + "/" + Leaf(kind);
        }

        /// <summary>
        /// Parses a concrete topic. Returns <see cref="TopicKind.Unknown"/> (and a null device id)
        /// for anything outside the scheme, including wildcards and extra levels.
        /// </summary>
        public static TopicKind Parse(string topic, out string deviceId)
        {
            deviceId = null;
            if (topic == null || !topic.StartsWith(Root))
            {
                return TopicKind.Unknown;
            }

            int slash = topic.IndexOf('/', Root.Length);
            if (slash < 0)
            {
                return TopicKind.Unknown;
            }

            string id = topic.Substring(Root.Length, slash - Root.Length);
            if (!DeviceId.IsValid(id))
            {
                return TopicKind.Unknown;
            }

            TopicKind kind = KindOf(topic.Substring(slash + 1));
            if (kind != TopicKind.Unknown)
            {
                deviceId = id;
            }

            return kind;
        }

        /// <summary>True for the leaves a device publishes; the broker's ACL and the cloud use it.</summary>
        public static bool IsPublishedByDevice(TopicKind kind)
        {
            return kind == TopicKind.Events || kind == TopicKind.Telemetry || kind == TopicKind.Status
                || kind == TopicKind.CommandResults || kind == TopicKind.Photos;
        }

        /// <summary>True for the leaves the cloud publishes and the device subscribes to.</summary>
        public static bool IsPublishedByCloud(TopicKind kind)
        {
            return kind == TopicKind.Commands || kind == TopicKind.DesiredState || kind == TopicKind.Acks;
        }

        /// <summary>The filter matching <paramref name="kind"/> for every device, e.g. <c>smartseal/v1/+/evt</c>.</summary>
        public static string AllDevices(TopicKind kind)
        {
            return Root + "+/" + Leaf(kind);
        }

        /// <summary>The shared-subscription form of <see cref="AllDevices"/>, so N cloud instances split the load.</summary>
        public static string SharedAllDevices(TopicKind kind)
        {
            return "$share/" + SharedGroup + "/" + AllDevices(kind);
        }

        public static string Leaf(TopicKind kind)
        {
            switch (kind)
            {
                case TopicKind.Events:
                    return "evt";
                case TopicKind.Telemetry:
                    return "tele";
                case TopicKind.Status:
                    return "status";
                case TopicKind.CommandResults:
                    return "res";
                case TopicKind.Photos:
                    return "photo";
                case TopicKind.Commands:
                    return "cmd";
                case TopicKind.DesiredState:
                    return "desired";
                case TopicKind.Acks:
                    return "ack";
                default:
                    throw new ProtocolException(ProtocolError.EnvelopeBadType, "no topic for this kind");
            }
        }

        private static TopicKind KindOf(string leaf)
        {
            switch (leaf)
            {
                case "evt":
                    return TopicKind.Events;
                case "tele":
                    return TopicKind.Telemetry;
                case "status":
                    return TopicKind.Status;
                case "res":
                    return TopicKind.CommandResults;
                case "photo":
                    return TopicKind.Photos;
                case "cmd":
                    return TopicKind.Commands;
                case "desired":
                    return TopicKind.DesiredState;
                case "ack":
                    return TopicKind.Acks;
                default:
                    return TopicKind.Unknown;
            }
        }
    }
}
