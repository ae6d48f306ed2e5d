using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Link
{
    /// <summary>
    /// Keeps the device's broker session alive over any <see cref="IMqttTransport"/>: mints the
    /// SAS-style password, registers the signed offline status as last will, reconnects with
    /// jittered exponential backoff, renews the password before it expires, and enforces the
    /// order the security model needs after every (re)connect: subscribe to the retained desired
    /// state first and hand it to the controller, and only then subscribe to commands and acks
    /// and report the link up (which replays the outbox). Non-blocking: the main loop (or the
    /// simulator's scheduler) calls <see cref="Poll"/>.
    /// </summary>
    public class CloudLink : ICloudLink
    {
        private readonly DeviceIdentity _identity;
        private readonly IMqttTransport _transport;
        private readonly IClock _clock;
        private readonly CloudLinkSettings _settings;
        private readonly string _firmware;
        private readonly System.Random _random;
        private readonly JsonWriter _writer = new JsonWriter(256, EnvelopeCodec.MaxEnvelopeBytes);
        private readonly object _sync = new object();
        private CloudLinkPhase _phase;
        private int _failures;
        private long _nextAttemptMs;
        private long _phaseSinceMs;
        private long _passwordExpiry;
        private bool _desiredSeen;
        private string _lastError;
        private long _connects;
        private long _sessionStartMs;

        public CloudLink(DeviceIdentity identity, IMqttTransport transport, IClock clock, CloudLinkSettings settings, string firmware)
        {
            _identity = identity;
            _transport = transport;
            _clock = clock;
            _settings = settings;
            _firmware = firmware;
            _random = new System.Random(identity.DeviceId.GetHashCode() ^ (int)clock.UptimeMs);
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

        /// <summary>Why the last attempt failed or the link dropped; null when it never did.</summary>
        public string LastError
        {
            get { return _lastError; }
        }

        /// <summary>Successful connects since boot.</summary>
        public long Connects
        {
            get { return _connects; }
        }

        public bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            return _transport.Publish(topic, payload, retain);
        }

        /// <summary>Advances the session: connects when due, finishes the desired-state wait, renews the password.</summary>
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
                        if (_desiredSeen || now - _phaseSinceMs >= _settings.DesiredStateWaitMs)
                        {
                            raiseUp = FinishConnect(now);
                        }

                        break;
                    case CloudLinkPhase.Up:
                        if (_settings.FixedPasswordExpiryUnixSeconds == 0 && _clock.UtcNowMs / 1000 >= _passwordExpiry - _settings.RenewBeforeSeconds)
                        {
                            // Reconnect with a fresh password before the broker would drop us.
                            PublishStatus(false, "renew");
                            _transport.Disconnect();
                            GoDown(now, "password renewal", 0);
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

        /// <summary>Leaves cleanly (power-down, deep sleep): retained offline status, then disconnect.</summary>
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

        /// <summary>Lets <see cref="Poll"/> connect again after <see cref="Disconnect"/> (wake-up).</summary>
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
                Fail(now, "clock not set: cannot mint a broker password");
                return;
            }

            MqttConnectOptions options = new MqttConnectOptions();
            options.ClientId = _identity.DeviceId;
            options.Username = _identity.DeviceId;
            _passwordExpiry = _settings.FixedPasswordExpiryUnixSeconds > 0 ? _settings.FixedPasswordExpiryUnixSeconds : utcSeconds + _settings.PasswordLifetimeSeconds;
            options.Password = BrokerPassword.Create(_identity.DeviceId, _identity.Key, _passwordExpiry);
            options.WillTopic = DeviceTopics.For(_identity.DeviceId, TopicKind.Status);
            _sessionStartMs = _clock.UtcNowMs;
            options.WillPayload = StatusEnvelope(false, "connection lost");
            options.KeepAliveSeconds = _settings.KeepAliveSeconds;
            options.CleanSession = true; // see hardware-docs/adr/0002: desired state first, commands only live

            string error = _transport.Connect(options);
            if (error != null)
            {
                Fail(now, error);
                return;
            }

            _desiredSeen = false;
            _phase = CloudLinkPhase.AwaitingDesiredState;
            _phaseSinceMs = now;
            if (!_transport.Subscribe(new string[] { DeviceTopics.For(_identity.DeviceId, TopicKind.DesiredState) }))
            {
                _transport.Disconnect();
                Fail(now, "subscribe to desired state refused");
            }
        }

        private bool FinishConnect(long now)
        {
            string[] topics = new string[]
            {
                DeviceTopics.For(_identity.DeviceId, TopicKind.Commands),
                DeviceTopics.For(_identity.DeviceId, TopicKind.Acks),
            };
            if (!_transport.Subscribe(topics))
            {
                _transport.Disconnect();
                Fail(now, "subscribe to commands refused");
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
            _transport.Publish(DeviceTopics.For(_identity.DeviceId, TopicKind.Status), StatusEnvelope(online, reason), true);
        }

        /// <summary>
        /// Status is presence, not an event: seq 0, never queued, superseded by the next one
        /// (retained). Every status of one session — the will minted at connect, the online one
        /// after it, a clean offline — carries the session's start time, so the cloud (which orders
        /// presence by device time, letting equal times through) applies this session's will after
        /// its online status, yet never lets a late will of an older session override a newer one.
        /// </summary>
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
            envelope.Time = _sessionStartMs;
            envelope.Type = MessageTypes.Status;
            envelope.Id = string.Empty;
            envelope.SetBody(_writer.ToArray());
            EnvelopeCodec.Encode(envelope, _identity.Key, _writer);
            return _writer.ToArray();
        }

        private void OnTransportMessage(string topic, byte[] payload)
        {
            string deviceId;
            TopicKind kind = DeviceTopics.Parse(topic, out deviceId);
            if (_phase == CloudLinkPhase.AwaitingDesiredState && kind == TopicKind.DesiredState)
            {
                _desiredSeen = true;
            }

            // Everything is handed on (the inbox judges it); with a clean session and commands
            // subscribed only after the desired state, nothing else can overtake it.
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
