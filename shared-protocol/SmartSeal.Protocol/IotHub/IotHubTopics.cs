using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.IotHub
{
    /// <summary>
    /// The topics of IoT Hub's MQTT 3.1.1 dialect (learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub,
    /// "Communicate with an IoT hub using the MQTT protocol") and how SmartSeal maps onto them:
    /// every device-to-cloud envelope goes to <c>devices/{id}/messages/events/</c> with the leaf of
    /// our own topic scheme (evt, tele, status, res, photo) in the <see cref="LeafProperty"/>
    /// property; the signed desired state is the twin desired property <see cref="DesiredProperty"/>;
    /// commands are direct methods named after the message type; C2D messages carry a leaf too.
    /// The one place IoT Hub topic strings are spelled.
    /// </summary>
    public static class IotHubTopics
    {
        /// <summary>The MQTT api-version IoT Hub documents for device connections.</summary>
        public const string ApiVersion = "2021-04-12";

        /// <summary>Application property naming the SmartSeal leaf ("evt", "tele", "status", "res", "photo"; "cmd", "ack" on C2D).</summary>
        public const string LeafProperty = "leaf";

        /// <summary>Twin desired property holding the signed desired-state envelope as a JSON string.</summary>
        public const string DesiredProperty = "smartseal";

        public const string TwinResponses = "$iothub/twin/res/#";
        public const string DesiredPatches = "$iothub/twin/PATCH/properties/desired/#";
        public const string MethodRequests = "$iothub/methods/POST/#";

        private const string TwinResponsePrefix = "$iothub/twin/res/";
        private const string DesiredPatchPrefix = "$iothub/twin/PATCH/properties/desired/";
        private const string MethodRequestPrefix = "$iothub/methods/POST/";
        private const string DevicesPrefix = "devices/";
        private const string EventsInfix = "/messages/events/";
        private const string DeviceBoundInfix = "/messages/devicebound/";

        /// <summary>The MQTT username: <c>{hostName}/{deviceId}/?api-version=2021-04-12</c> (client id = device id).</summary>
        public static string Username(string hostName, string deviceId)
        {
            return hostName + "/" + deviceId + "/?api-version=" + ApiVersion;
        }

        /// <summary>Device-to-cloud topic for one SmartSeal leaf; the body is declared JSON in UTF-8 so hub routing queries can read it.</summary>
        public static string Events(string deviceId, string leaf)
        {
            CheckDeviceId(deviceId);
            return DevicesPrefix + deviceId + EventsInfix + IotHubPropertyBag.Pair(LeafProperty, leaf) + "&" + IotHubPropertyBag.Pair("$.ct", "application/json") + "&" + IotHubPropertyBag.Pair("$.ce", "utf-8");
        }

        /// <summary>The filter a device subscribes to for its C2D messages.</summary>
        public static string DeviceBound(string deviceId)
        {
            CheckDeviceId(deviceId);
            return DevicesPrefix + deviceId + DeviceBoundInfix + "#";
        }

        /// <summary>The request for the full twin; the answer comes on <c>$iothub/twin/res/{status}/?$rid={rid}</c>.</summary>
        public static string TwinGet(string requestId)
        {
            return "$iothub/twin/GET/?$rid=" + requestId;
        }

        /// <summary>The device's answer to a direct method.</summary>
        public static string MethodResponse(int status, string requestId)
        {
            return "$iothub/methods/res/" + status.ToString() + "/?$rid=" + requestId;
        }

        /// <summary>The hub's method request topic (for brokers and tests that play the hub).</summary>
        public static string MethodRequest(string methodName, string requestId)
        {
            return MethodRequestPrefix + methodName + "/?$rid=" + requestId;
        }

        /// <summary>The hub's twin answer topic (for brokers and tests that play the hub).</summary>
        public static string TwinResponse(int status, string requestId)
        {
            return TwinResponsePrefix + status.ToString() + "/?$rid=" + requestId;
        }

        /// <summary>The hub's desired-properties notification topic.</summary>
        public static string DesiredPatch(long version)
        {
            return DesiredPatchPrefix + "?$version=" + version.ToString();
        }

        /// <summary>A C2D message as the hub delivers it, with its property bag.</summary>
        public static string DeviceBoundMessage(string deviceId, string propertyBag)
        {
            CheckDeviceId(deviceId);
            return DevicesPrefix + deviceId + DeviceBoundInfix + propertyBag;
        }

        /// <summary><c>$iothub/twin/res/{status}/?$rid={rid}</c>: true with the status and request id.</summary>
        public static bool TryParseTwinResponse(string topic, out int status, out string requestId)
        {
            status = 0;
            requestId = null;
            if (topic == null || !topic.StartsWith(TwinResponsePrefix))
            {
                return false;
            }

            int slash = topic.IndexOf('/', TwinResponsePrefix.Length);
            if (slash < 0 || !ParseStatus(topic.Substring(TwinResponsePrefix.Length, slash - TwinResponsePrefix.Length), out status))
            {
                return false;
            }

            requestId = IotHubPropertyBag.Get(topic.Substring(slash + 1), "$rid");
            return requestId != null;
        }

        public static bool IsDesiredPatch(string topic)
        {
            return topic != null && topic.StartsWith(DesiredPatchPrefix);
        }

        /// <summary><c>$iothub/methods/POST/{name}/?$rid={rid}</c>: true with the method name and request id.</summary>
        public static bool TryParseMethodRequest(string topic, out string methodName, out string requestId)
        {
            methodName = null;
            requestId = null;
            if (topic == null || !topic.StartsWith(MethodRequestPrefix))
            {
                return false;
            }

            int slash = topic.IndexOf('/', MethodRequestPrefix.Length);
            if (slash <= MethodRequestPrefix.Length)
            {
                return false;
            }

            methodName = topic.Substring(MethodRequestPrefix.Length, slash - MethodRequestPrefix.Length);
            requestId = IotHubPropertyBag.Get(topic.Substring(slash + 1), "$rid");
            return requestId != null;
        }

        /// <summary><c>$iothub/methods/res/{status}/?$rid={rid}</c>: true with the status and request id.</summary>
        public static bool TryParseMethodResponse(string topic, out int status, out string requestId)
        {
            const string Prefix = "$iothub/methods/res/";
            status = 0;
            requestId = null;
            if (topic == null || !topic.StartsWith(Prefix))
            {
                return false;
            }

            int slash = topic.IndexOf('/', Prefix.Length);
            if (slash < 0 || !ParseStatus(topic.Substring(Prefix.Length, slash - Prefix.Length), out status))
            {
                return false;
            }

            requestId = IotHubPropertyBag.Get(topic.Substring(slash + 1), "$rid");
            return requestId != null;
        }

        /// <summary><c>devices/{id}/messages/events/{bag}</c>: true with the device id and the (still encoded) property bag.</summary>
        public static bool TryParseEvents(string topic, out string deviceId, out string propertyBag)
        {
            return TryParseDeviceTopic(topic, EventsInfix, out deviceId, out propertyBag);
        }

        /// <summary><c>devices/{id}/messages/devicebound/{bag}</c>: true with the device id and the property bag.</summary>
        public static bool TryParseDeviceBound(string topic, out string deviceId, out string propertyBag)
        {
            return TryParseDeviceTopic(topic, DeviceBoundInfix, out deviceId, out propertyBag);
        }

        private static bool TryParseDeviceTopic(string topic, string infix, out string deviceId, out string propertyBag)
        {
            deviceId = null;
            propertyBag = null;
            if (topic == null || !topic.StartsWith(DevicesPrefix))
            {
                return false;
            }

            int slash = topic.IndexOf('/', DevicesPrefix.Length);
            if (slash < 0 || !Matches(topic, slash, infix))
            {
                return false;
            }

            string id = topic.Substring(DevicesPrefix.Length, slash - DevicesPrefix.Length);
            if (!DeviceId.IsValid(id))
            {
                return false;
            }

            string bag = topic.Substring(slash + infix.Length);
            if (bag.IndexOf('/') >= 0 || bag.IndexOf('#') >= 0 || bag.IndexOf('+') >= 0)
            {
                return false;
            }

            deviceId = id;
            propertyBag = bag;
            return true;
        }

        private static bool Matches(string topic, int at, string infix)
        {
            if (topic.Length < at + infix.Length)
            {
                return false;
            }

            return topic.Substring(at, infix.Length) == infix;
        }

        private static bool ParseStatus(string text, out int status)
        {
            status = 0;
            if (text.Length != 3)
            {
                return false;
            }

            for (int i = 0; i < 3; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                status = (status * 10) + (c - '0');
            }

            return true;
        }

        private static void CheckDeviceId(string deviceId)
        {
            if (!DeviceId.IsValid(deviceId))
            {
                throw new ProtocolException(ProtocolError.EnvelopeBadDeviceId, "invalid device id");
            }
        }
    }
}
