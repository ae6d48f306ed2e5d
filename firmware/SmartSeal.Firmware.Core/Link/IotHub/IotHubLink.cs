using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Link.IotHub
{
    /// <summary>
    /// The device's session with Azure IoT Hub over any <see cref="IMqttTransport"/> (MQTT 3.1.1,
    /// TLS on 8883 chosen by the transport). To the controllers it is an <see cref="ICloudLink"/>
    /// like <see cref="CloudLink"/>: they publish to and receive on the SmartSeal topics, and this
    /// class translates to IoT Hub's dialect (see <see cref="IotHubTopics"/>):
    /// <list type="bullet">
    /// <item>evt/tele/status/res/photo → <c>devices/{id}/messages/events/leaf={leaf}</c>;</item>
    /// <item>desired state ← twin desired property <c>smartseal</c>: a twin GET right after connect
    /// (answered before anything else is subscribed), then desired-property PATCH notifications;</item>
    /// <item>commands and acks ← direct methods named after the message type, answered with 200 and the
    /// signed command result when the controller produced one during the call, else 202;</item>
    /// <item>C2D messages (<c>devicebound</c>) with a <c>leaf</c> property ← any cloud leaf.</item>
    /// </list>
    /// The envelopes keep their MACs end to end: the hub only carries them, so a compromised hub can
    /// neither unlock a seal nor forge a record. Same order rule as <see cref="CloudLink"/>
    /// (hardware-docs/adr/0002): clean session, desired state applied before methods and C2D are
    /// subscribed and before the link is reported up. Same backoff and token renewal.
    /// </summary>
    public class IotHubLink : BrokerSession
    {
        /// <summary>Answer to a method whose command produced no result while the call lasted (the result follows as an event).</summary>
        public const int AcceptedStatus = 202;

        private static readonly byte[] JsonNull = Encoding.UTF8.GetBytes("null");

        private readonly string _hostName;
        private readonly string[] _eventTopics = new string[(int)TopicKind.Acks + 1];
        private readonly string _desiredTopic;
        private readonly object _methodSync = new object();
        private int _twinStatus;
        private string _twinRequestId;
        private int _requestCounter;
        private string _methodCommandId;
        private byte[] _methodResult;

        public IotHubLink(DeviceIdentity identity, IMqttTransport transport, IClock clock, CloudLinkSettings settings, string hostName, string firmware)
            : base(identity, transport, clock, settings, firmware)
        {
            _hostName = hostName;
            _desiredTopic = DeviceTopics.For(identity.DeviceId, TopicKind.DesiredState);
            TopicKind[] published = new TopicKind[] { TopicKind.Events, TopicKind.Telemetry, TopicKind.Status, TopicKind.CommandResults, TopicKind.Photos };
            for (int i = 0; i < published.Length; i++)
            {
                _eventTopics[(int)published[i]] = IotHubTopics.Events(identity.DeviceId, DeviceTopics.Leaf(published[i]));
            }
        }

        protected override string StatusTopic
        {
            get { return _eventTopics[(int)TopicKind.Status]; }
        }

        /// <summary>IoT Hub keeps no retained messages: status is just a device-to-cloud message.</summary>
        protected override bool RetainsStatus
        {
            get { return false; }
        }

        /// <summary>The hub always answers a twin GET; silence means a broken session.</summary>
        protected override string SilenceFailure
        {
            get { return "no answer to the twin GET"; }
        }

        /// <summary>Publishes a SmartSeal device topic as a device-to-cloud message; false for any other topic or when not up.</summary>
        public override bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            string deviceId;
            TopicKind kind = DeviceTopics.Parse(topic, out deviceId);
            if (deviceId != Identity.DeviceId || !DeviceTopics.IsPublishedByDevice(kind))
            {
                return false;
            }

            if (kind == TopicKind.CommandResults)
            {
                CaptureMethodResult(payload);
            }

            // IoT Hub keeps no retained messages: the flag would only become an x-opt-retain property.
            return Transport.Publish(_eventTopics[(int)kind], payload, false);
        }

        protected override string Username()
        {
            return IotHubTopics.Username(_hostName, Identity.DeviceId);
        }

        protected override string Credential(long expiryUnixSeconds)
        {
            return IotHubSasToken.ForDevice(_hostName, Identity.DeviceId, Identity.Key, expiryUnixSeconds);
        }

        /// <summary>Subscribes to the twin only and asks for it; methods and C2D come after it is applied.</summary>
        protected override string BeginDesiredState()
        {
            _twinStatus = 0;
            _requestCounter++;
            _twinRequestId = _requestCounter.ToString();
            if (!Transport.Subscribe(new string[] { IotHubTopics.TwinResponses, IotHubTopics.DesiredPatches }))
            {
                return "subscribe to the twin refused";
            }

            return Transport.Publish(IotHubTopics.TwinGet(_twinRequestId), new byte[0], false) ? null : "twin GET not accepted";
        }

        protected override string DesiredStateFailure()
        {
            return _twinStatus != 0 ? "twin GET answered " + _twinStatus.ToString() : null;
        }

        protected override string[] LiveTopics()
        {
            return new string[] { IotHubTopics.MethodRequests, IotHubTopics.DeviceBound(Identity.DeviceId) };
        }

        protected override void OnTransportMessage(string topic, byte[] payload)
        {
            int status;
            string requestId;
            string name;
            string deviceId;
            string bag;
            if (IotHubTopics.TryParseTwinResponse(topic, out status, out requestId))
            {
                OnTwinResponse(status, requestId, payload);
            }
            else if (IotHubTopics.IsDesiredPatch(topic))
            {
                string value;
                long version;
                if (IotHubPayloads.ReadDesiredFromPatch(payload, IotHubTopics.DesiredProperty, out value, out version) == ProtocolError.None && value != null)
                {
                    Deliver(_desiredTopic, Encoding.UTF8.GetBytes(value));
                }
            }
            else if (IotHubTopics.TryParseMethodRequest(topic, out name, out requestId))
            {
                OnMethod(name, requestId, payload);
            }
            else if (IotHubTopics.TryParseDeviceBound(topic, out deviceId, out bag) && deviceId == Identity.DeviceId)
            {
                TopicKind kind = CloudKindOf(IotHubPropertyBag.Get(bag, IotHubTopics.LeafProperty));
                Deliver(kind == TopicKind.Unknown ? topic : DeviceTopics.For(deviceId, kind), payload);
            }
            else
            {
                // Not ours to interpret: the inbox refuses it and reports it.
                Deliver(topic, payload);
            }
        }

        private void OnTwinResponse(int status, string requestId, byte[] payload)
        {
            if (Phase != CloudLinkPhase.AwaitingDesiredState || requestId != _twinRequestId)
            {
                return;
            }

            if (status != 200)
            {
                _twinStatus = status;
                return;
            }

            string value;
            long version;
            ProtocolError error = IotHubPayloads.ReadDesiredFromTwin(payload, IotHubTopics.DesiredProperty, out value, out version);
            if (error != ProtocolError.None)
            {
                _twinStatus = 400;
                return;
            }

            if (value != null)
            {
                // Applied before the link may go up: Poll sees DesiredStateHandled only afterwards.
                Deliver(_desiredTopic, Encoding.UTF8.GetBytes(value));
            }

            DesiredStateHandled = true;
        }

        private void OnMethod(string name, string requestId, byte[] payload)
        {
            TopicKind kind = MessageTypes.TopicOf(name);
            if (!DeviceTopics.IsPublishedByCloud(kind))
            {
                Transport.Publish(IotHubTopics.MethodResponse(404, requestId), JsonNull, false);
                return;
            }

            byte[] envelope = IotHubPayloads.UnwrapEnvelope(payload);
            if (envelope == null)
            {
                // Handed on as it came so the inbox refuses and reports it like any malformed command.
                Deliver(DeviceTopics.For(Identity.DeviceId, kind), payload == null ? new byte[0] : payload);
                Transport.Publish(IotHubTopics.MethodResponse(400, requestId), JsonNull, false);
                return;
            }

            lock (_methodSync)
            {
                _methodCommandId = CommandIdOf(envelope);
                _methodResult = null;
            }

            Deliver(DeviceTopics.For(Identity.DeviceId, kind), envelope);

            byte[] result;
            lock (_methodSync)
            {
                result = _methodResult;
                _methodCommandId = null;
                _methodResult = null;
            }

            if (result != null)
            {
                Transport.Publish(IotHubTopics.MethodResponse(200, requestId), IotHubPayloads.WrapEnvelope(result), false);
            }
            else
            {
                Transport.Publish(IotHubTopics.MethodResponse(AcceptedStatus, requestId), JsonNull, false);
            }
        }

        /// <summary>Keeps the signed result of the command whose method call is in progress, for the method response.</summary>
        private void CaptureMethodResult(byte[] payload)
        {
            lock (_methodSync)
            {
                if (_methodCommandId == null || _methodResult != null)
                {
                    return;
                }

                Envelope envelope = new Envelope();
                string detail;
                if (EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out detail) != ProtocolError.None)
                {
                    return;
                }

                CommandResultBody body = new CommandResultBody();
                if (MessageCodec.DecodeBody(envelope, body, out detail) == ProtocolError.None && body.CommandId == _methodCommandId)
                {
                    _methodResult = payload;
                }
            }
        }

        /// <summary>The command id of an envelope, for correlation only (the inbox verifies it properly).</summary>
        private static string CommandIdOf(byte[] envelope)
        {
            Envelope decoded = new Envelope();
            string detail;
            if (EnvelopeCodec.Decode(envelope, 0, envelope.Length, decoded, out detail) != ProtocolError.None || decoded.Id == null || decoded.Id.Length == 0)
            {
                return null;
            }

            return decoded.Id;
        }

        private static TopicKind CloudKindOf(string leaf)
        {
            if (leaf == null)
            {
                return TopicKind.Unknown;
            }

            TopicKind[] kinds = new TopicKind[] { TopicKind.Commands, TopicKind.Acks, TopicKind.DesiredState };
            for (int i = 0; i < kinds.Length; i++)
            {
                if (DeviceTopics.Leaf(kinds[i]) == leaf)
                {
                    return kinds[i];
                }
            }

            return TopicKind.Unknown;
        }
    }
}
