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
    public class IotHubLink : ICloudLink
    {
        /// <summary>Answer to a method whose command produced no result while the call lasted (the result follows as an event).</summary>
        public const int AcceptedStatus = 202;

        private static readonly byte[] JsonNull = Encoding.UTF8.GetBytes("null");

        private readonly DeviceIdentity _identity;
        private readonly IMqttTransport _transport;
        private readonly IClock _clock;
        private readonly CloudLinkSettings _settings;
        private readonly string _hostName;
        private readonly string _firmware;
        private readonly System.Random _random;
        private readonly JsonWriter _writer = new JsonWriter(256, EnvelopeCodec.MaxEnvelopeBytes);
        private readonly string[] _eventTopics = new string[(int)TopicKind.Acks + 1];
        private readonly string _desiredTopic;
        private readonly object _sync = new object();
        private readonly object _methodSync = new object();
        private CloudLinkPhase _phase;
        private int _failures;
        private long _nextAttemptMs;
        private long _phaseSinceMs;
        private long _tokenExpiry;
        private bool _desiredSeen;
        private int _twinStatus;
        private string _twinRequestId;
        private int _requestCounter;
        private string _lastError;
        private long _connects;
        private string _methodCommandId;
        private byte[] _methodResult;

        public IotHubLink(DeviceIdentity identity, IMqttTransport transport, IClock clock, CloudLinkSettings settings, string hostName, string firmware)
        {
            _identity = identity;
            _transport = transport;
            _clock = clock;
            _settings = settings;
            _hostName = hostName;
            _firmware = firmware;
            _random = new System.Random(identity.DeviceId.GetHashCode() ^ (int)clock.UptimeMs);
            _desiredTopic = DeviceTopics.For(identity.DeviceId, TopicKind.DesiredState);
            TopicKind[] published = new TopicKind[] { TopicKind.Events, TopicKind.Telemetry, TopicKind.Status, TopicKind.CommandResults, TopicKind.Photos };
            for (int i = 0; i < published.Length; i++)
            {
                _eventTopics[(int)published[i]] = IotHubTopics.Events(identity.DeviceId, DeviceTopics.Leaf(published[i]));
            }

            _transport.MessageReceived += OnTransportMessage;
            _transport.ConnectionLost += OnTransportLost;
        }

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionChanged;

        /// <summary>True only once the desired state has been handled: before that nothing may be published but status.</summary>
        public bool IsConnected
        {
            get { return _phase == CloudLinkPhase.Up && _transport.IsConnected; }
        }

        public CloudLinkPhase Phase
        {
            get { return _phase; }
        }

        public long NextAttemptUptimeMs
        {
            get { return _nextAttemptMs; }
        }

        public int ConsecutiveFailures
        {
            get { return _failures; }
        }

        public string LastError
        {
            get { return _lastError; }
        }

        public long Connects
        {
            get { return _connects; }
        }

        /// <summary>Publishes a SmartSeal device topic as a device-to-cloud message; false for any other topic or when not up.</summary>
        public bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            string deviceId;
            TopicKind kind = DeviceTopics.Parse(topic, out deviceId);
            if (deviceId != _identity.DeviceId || !DeviceTopics.IsPublishedByDevice(kind))
            {
                return false;
            }

            if (kind == TopicKind.CommandResults)
            {
                CaptureMethodResult(payload);
            }

            // IoT Hub keeps no retained messages: the flag would only become an x-opt-retain property.
            return _transport.Publish(_eventTopics[(int)kind], payload, false);
        }

        /// <summary>Advances the session: connects when due, finishes the twin read, renews the SAS token.</summary>
        public void Poll()
        {
            long now = _clock.UptimeMs;
            bool raiseUp = false;
            lock (_sync)
            {
                switch (_phase)
                {
                    case CloudLinkPhase.Down:
                        if (now >= _nextAttemptMs)
                        {
                            TryConnect(now);
                        }

                        break;
                    case CloudLinkPhase.AwaitingDesiredState:
                        if (_desiredSeen)
                        {
                            raiseUp = FinishConnect(now);
                        }
                        else if (_twinStatus != 0)
                        {
                            _transport.Disconnect();
                            Fail(now, "twin GET answered " + _twinStatus.ToString());
                        }
                        else if (now - _phaseSinceMs >= _settings.DesiredStateWaitMs)
                        {
                            // The hub always answers a twin GET; silence means a broken session.
                            _transport.Disconnect();
                            Fail(now, "no answer to the twin GET");
                        }

                        break;
                    case CloudLinkPhase.Up:
                        if (_clock.UtcNowMs / 1000 >= _tokenExpiry - _settings.RenewBeforeSeconds)
                        {
                            // IoT Hub drops a connection whose token expired: reconnect with a fresh one first.
                            PublishStatus(false, "renew");
                            _transport.Disconnect();
                            GoDown(now, "SAS token renewal", 0);
                            _nextAttemptMs = now;
                            RaiseChanged(false);
                            return;
                        }

                        break;
                }
            }

            if (raiseUp)
            {
                RaiseChanged(true);
            }
        }

        /// <summary>Leaves cleanly (power-down, deep sleep): offline status, then disconnect.</summary>
        public void Disconnect(string reason)
        {
            bool wasUp;
            lock (_sync)
            {
                wasUp = _phase == CloudLinkPhase.Up;
                if (_phase != CloudLinkPhase.Down)
                {
                    PublishStatus(false, reason);
                    _transport.Disconnect();
                }

                GoDown(_clock.UptimeMs, reason, 0);
                _nextAttemptMs = long.MaxValue;
            }

            if (wasUp)
            {
                RaiseChanged(false);
            }
        }

        /// <summary>Lets <see cref="Poll"/> connect again after <see cref="Disconnect"/>.</summary>
        public void Resume()
        {
            lock (_sync)
            {
                if (_phase == CloudLinkPhase.Down)
                {
                    _nextAttemptMs = _clock.UptimeMs;
                }
            }
        }

        private void TryConnect(long now)
        {
            long utcSeconds = _clock.UtcNowMs / 1000;
            if (utcSeconds <= 0)
            {
                Fail(now, "clock not set: cannot mint a SAS token");
                return;
            }

            MqttConnectOptions options = new MqttConnectOptions();
            options.ClientId = _identity.DeviceId;
            options.Username = IotHubTopics.Username(_hostName, _identity.DeviceId);
            _tokenExpiry = utcSeconds + _settings.PasswordLifetimeSeconds;
            options.Password = IotHubSasToken.ForDevice(_hostName, _identity.DeviceId, _identity.Key, _tokenExpiry);
            options.WillTopic = _eventTopics[(int)TopicKind.Status];
            options.WillPayload = StatusEnvelope(false, "connection lost");
            options.KeepAliveSeconds = _settings.KeepAliveSeconds;
            options.CleanSession = true; // hardware-docs/adr/0002: desired state first, commands only live

            string error = _transport.Connect(options);
            if (error != null)
            {
                Fail(now, error);
                return;
            }

            _desiredSeen = false;
            _twinStatus = 0;
            _requestCounter++;
            _twinRequestId = _requestCounter.ToString();
            _phase = CloudLinkPhase.AwaitingDesiredState;
            _phaseSinceMs = now;
            if (!_transport.Subscribe(new string[] { IotHubTopics.TwinResponses, IotHubTopics.DesiredPatches }))
            {
                _transport.Disconnect();
                Fail(now, "subscribe to the twin refused");
                return;
            }

            if (!_transport.Publish(IotHubTopics.TwinGet(_twinRequestId), new byte[0], false))
            {
                _transport.Disconnect();
                Fail(now, "twin GET not accepted");
            }
        }

        private bool FinishConnect(long now)
        {
            string[] topics = new string[] { IotHubTopics.MethodRequests, IotHubTopics.DeviceBound(_identity.DeviceId) };
            if (!_transport.Subscribe(topics))
            {
                _transport.Disconnect();
                Fail(now, "subscribe to methods refused");
                return false;
            }

            _phase = CloudLinkPhase.Up;
            _phaseSinceMs = now;
            _failures = 0;
            _connects++;
            PublishStatus(true, null);
            return true;
        }

        private void Fail(long now, string error)
        {
            GoDown(now, error, _failures + 1);
            _nextAttemptMs = now + ReconnectBackoff.DelayMs(_failures - 1, _random.NextDouble(), _settings.InitialBackoffMs, _settings.MaxBackoffMs);
        }

        private void GoDown(long now, string error, int failures)
        {
            _phase = CloudLinkPhase.Down;
            _phaseSinceMs = now;
            _failures = failures;
            _lastError = error;
        }

        private void PublishStatus(bool online, string reason)
        {
            _transport.Publish(_eventTopics[(int)TopicKind.Status], StatusEnvelope(online, reason), false);
        }

        /// <summary>Status is presence, not an event: seq 0, never queued.</summary>
        private byte[] StatusEnvelope(bool online, string reason)
        {
            StatusBody status = new StatusBody();
            status.Online = online;
            status.Firmware = _firmware;
            status.Reason = reason;
            MessageCodec.EncodeBody(status, _writer);
            Envelope envelope = new Envelope();
            envelope.DeviceId = _identity.DeviceId;
            envelope.Seq = 0;
            envelope.Time = _clock.UtcNowMs;
            envelope.Type = MessageTypes.Status;
            envelope.Id = string.Empty;
            envelope.SetBody(_writer.ToArray());
            EnvelopeCodec.Encode(envelope, _identity.Key, _writer);
            return _writer.ToArray();
        }

        private void OnTransportMessage(string topic, byte[] payload)
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
            else if (IotHubTopics.TryParseDeviceBound(topic, out deviceId, out bag) && deviceId == _identity.DeviceId)
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
            if (_phase != CloudLinkPhase.AwaitingDesiredState || requestId != _twinRequestId)
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
                // Applied before the link may go up: Poll sees _desiredSeen only afterwards.
                Deliver(_desiredTopic, Encoding.UTF8.GetBytes(value));
            }

            _desiredSeen = true;
        }

        private void OnMethod(string name, string requestId, byte[] payload)
        {
            TopicKind kind = MessageTypes.TopicOf(name);
            if (!DeviceTopics.IsPublishedByCloud(kind))
            {
                _transport.Publish(IotHubTopics.MethodResponse(404, requestId), JsonNull, false);
                return;
            }

            byte[] envelope = IotHubPayloads.UnwrapEnvelope(payload);
            if (envelope == null)
            {
                // Handed on as it came so the inbox refuses and reports it like any malformed command.
                Deliver(DeviceTopics.For(_identity.DeviceId, kind), payload == null ? new byte[0] : payload);
                _transport.Publish(IotHubTopics.MethodResponse(400, requestId), JsonNull, false);
                return;
            }

            lock (_methodSync)
            {
                _methodCommandId = CommandIdOf(envelope);
                _methodResult = null;
            }

            Deliver(DeviceTopics.For(_identity.DeviceId, kind), envelope);

            byte[] result;
            lock (_methodSync)
            {
                result = _methodResult;
                _methodCommandId = null;
                _methodResult = null;
            }

            if (result != null)
            {
                _transport.Publish(IotHubTopics.MethodResponse(200, requestId), IotHubPayloads.WrapEnvelope(result), false);
            }
            else
            {
                _transport.Publish(IotHubTopics.MethodResponse(AcceptedStatus, requestId), JsonNull, false);
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

        private void Deliver(string topic, byte[] payload)
        {
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(topic, payload);
            }
        }

        private void OnTransportLost(bool connected)
        {
            bool wasUp;
            lock (_sync)
            {
                if (_phase == CloudLinkPhase.Down)
                {
                    return;
                }

                wasUp = _phase == CloudLinkPhase.Up;
                long now = _clock.UptimeMs;
                GoDown(now, "connection lost", 0);
                _nextAttemptMs = now + ReconnectBackoff.DelayMs(0, _random.NextDouble(), _settings.InitialBackoffMs, _settings.MaxBackoffMs);
            }

            if (wasUp)
            {
                RaiseChanged(false);
            }
        }

        private void RaiseChanged(bool connected)
        {
            ConnectionChangedHandler handler = ConnectionChanged;
            if (handler != null)
            {
                handler(connected);
            }
        }
    }
}
