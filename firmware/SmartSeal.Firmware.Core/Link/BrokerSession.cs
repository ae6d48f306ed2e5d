using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Link
{
    /// <summary>
    /// What every broker dialect shares (<see cref="CloudLink"/> for SmartSeal's own topics,
    /// <see cref="IotHub.IotHubLink"/> for Azure IoT Hub): a non-blocking session driven by
    /// <see cref="Poll"/>, credentials minted per connect and renewed before they expire, a signed
    /// offline status as last will, jittered exponential backoff, and the order the security model
    /// needs after every (re)connect — the desired state first, then the live topics, then "up"
    /// (which replays the outbox). Subclasses say how to log in, how to fetch the desired state and
    /// which topics carry what.
    /// </summary>
    public abstract class BrokerSession : ICloudLink
    {
        private readonly string _firmware;
        private readonly System.Random _random;
        private readonly JsonWriter _writer = new JsonWriter(256, EnvelopeCodec.MaxEnvelopeBytes);
        private CloudLinkPhase _phase;
        private int _failures;
        private long _nextAttemptMs;
        private long _phaseSinceMs;
        private long _credentialExpiry;
        private string _lastError;
        private long _connects;
        private long _sessionStartMs;

        protected BrokerSession(DeviceIdentity identity, IMqttTransport transport, IClock clock, CloudLinkSettings settings, string firmware)
        {
            Identity = identity;
            Transport = transport;
            Clock = clock;
            Settings = settings;
            _firmware = firmware;
            _random = new System.Random(identity.DeviceId.GetHashCode() ^ (int)clock.UptimeMs);
            Sync = new object();
            Transport.MessageReceived += OnTransportMessage;
            Transport.ConnectionLost += OnTransportLost;
        }

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionChanged;

        /// <summary>True only once the desired state has been handled: before that nothing may be published but status.</summary>
        public bool IsConnected
        {
            get { return _phase == CloudLinkPhase.Up && Transport.IsConnected; }
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

        protected DeviceIdentity Identity { get; private set; }

        protected IMqttTransport Transport { get; private set; }

        protected IClock Clock { get; private set; }

        protected CloudLinkSettings Settings { get; private set; }

        /// <summary>Guards the session state against transport callbacks.</summary>
        protected object Sync { get; private set; }

        /// <summary>Set by the subclass once the desired state (or the news that there is none) has been handed on.</summary>
        protected bool DesiredStateHandled { get; set; }

        /// <summary>Where status (and the last will) goes.</summary>
        protected abstract string StatusTopic { get; }

        /// <summary>Whether the broker keeps the last status for later subscribers.</summary>
        protected abstract bool RetainsStatus { get; }

        /// <summary>
        /// What a desired-state wait that runs out means: null when the broker simply has no retained
        /// state for a device the cloud never configured (go up); otherwise the failure to report
        /// for a broken session (disconnect and retry).
        /// </summary>
        protected abstract string SilenceFailure { get; }

        public abstract bool Publish(string topic, byte[] payload, bool retain);

        /// <summary>Advances the session: connects when due, finishes the desired-state step, renews the credentials.</summary>
        public void Poll()
        {
            long now = Clock.UptimeMs;
            bool raiseUp = false;
            lock (Sync)
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
                        string failure = DesiredStateFailure();
                        if (DesiredStateHandled)
                        {
                            raiseUp = FinishConnect(now);
                        }
                        else if (failure != null)
                        {
                            Transport.Disconnect();
                            Fail(now, failure);
                        }
                        else if (now - _phaseSinceMs >= Settings.DesiredStateWaitMs)
                        {
                            string silence = SilenceFailure;
                            if (silence == null)
                            {
                                raiseUp = FinishConnect(now);
                            }
                            else
                            {
                                Transport.Disconnect();
                                Fail(now, silence);
                            }
                        }

                        break;
                    case CloudLinkPhase.Up:
                        if (Settings.FixedPasswordExpiryUnixSeconds == 0 && Clock.UtcNowMs / 1000 >= _credentialExpiry - Settings.RenewBeforeSeconds)
                        {
                            // Reconnect with fresh credentials before the broker would drop us.
                            PublishStatus(false, "renew");
                            Transport.Disconnect();
                            GoDown(now, "credential renewal", 0);
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
            lock (Sync)
            {
                wasUp = _phase == CloudLinkPhase.Up;
                if (_phase != CloudLinkPhase.Down)
                {
                    PublishStatus(false, reason);
                    Transport.Disconnect();
                }

                GoDown(Clock.UptimeMs, reason, 0);
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
            lock (Sync)
            {
                if (_phase == CloudLinkPhase.Down)
                {
                    _nextAttemptMs = Clock.UptimeMs;
                }
            }
        }

        /// <summary>The broker username.</summary>
        protected abstract string Username();

        /// <summary>The password (SAS-style) valid until <paramref name="expiryUnixSeconds"/>.</summary>
        protected abstract string Credential(long expiryUnixSeconds);

        /// <summary>Right after connecting: subscribe to (or ask for) the desired state only. Null on success, else why not.</summary>
        protected abstract string BeginDesiredState();

        /// <summary>While waiting for the desired state: a reason to give up now (a refused request), or null.</summary>
        protected virtual string DesiredStateFailure()
        {
            return null;
        }

        /// <summary>The topics subscribed once the desired state is applied (commands, acks...).</summary>
        protected abstract string[] LiveTopics();

        /// <summary>A message from the transport, in the broker's dialect.</summary>
        protected abstract void OnTransportMessage(string topic, byte[] payload);

        /// <summary>Hands a message to the controller on a SmartSeal device topic.</summary>
        protected void Deliver(string topic, byte[] payload)
        {
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(topic, payload);
            }
        }

        private void TryConnect(long now)
        {
            long utcSeconds = Clock.UtcNowMs / 1000;
            if (utcSeconds <= 0)
            {
                Fail(now, "clock not set: cannot mint a broker password");
                return;
            }

            MqttConnectOptions options = new MqttConnectOptions();
            options.ClientId = Identity.DeviceId;
            options.Username = Username();
            _credentialExpiry = Settings.FixedPasswordExpiryUnixSeconds > 0 ? Settings.FixedPasswordExpiryUnixSeconds : utcSeconds + Settings.PasswordLifetimeSeconds;
            options.Password = Credential(_credentialExpiry);
            _sessionStartMs = Clock.UtcNowMs;
            options.WillTopic = StatusTopic;
            options.WillPayload = StatusEnvelope(false, "connection lost");
            options.KeepAliveSeconds = Settings.KeepAliveSeconds;
            options.CleanSession = true; // hardware-docs/adr/0002: desired state first, commands only live

            string error = Transport.Connect(options);
            if (error != null)
            {
                Fail(now, error);
                return;
            }

            DesiredStateHandled = false;
            _phase = CloudLinkPhase.AwaitingDesiredState;
            _phaseSinceMs = now;
            error = BeginDesiredState();
            if (error != null)
            {
                Transport.Disconnect();
                Fail(now, error);
            }
        }

        private bool FinishConnect(long now)
        {
            if (!Transport.Subscribe(LiveTopics()))
            {
                Transport.Disconnect();
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
            _nextAttemptMs = now + ReconnectBackoff.DelayMs(_failures - 1, _random.NextDouble(), Settings.InitialBackoffMs, Settings.MaxBackoffMs);
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
            Transport.Publish(StatusTopic, StatusEnvelope(online, reason), RetainsStatus);
        }

        /// <summary>
        /// Status is presence, not an event: seq 0, never queued, superseded by the next one.
        /// Every status of one session — the will minted at connect, the online one after it, a
        /// clean offline — carries the session's start time, so the cloud (which orders presence by
        /// device time, letting equal times through) applies this session's will after its online
        /// status, yet never lets a late will of an older session override a newer one.
        /// </summary>
        private byte[] StatusEnvelope(bool online, string reason)
        {
            StatusBody status = new StatusBody();
            status.Online = online;
            status.Firmware = _firmware;
            status.Reason = reason;
            MessageCodec.EncodeBody(status, _writer);
            Envelope envelope = new Envelope();
            envelope.DeviceId = Identity.DeviceId;
            envelope.Seq = 0;
            envelope.Time = _sessionStartMs;
            envelope.Type = MessageTypes.Status;
            envelope.Id = string.Empty;
            envelope.SetBody(_writer.ToArray());
            EnvelopeCodec.Encode(envelope, Identity.Key, _writer);
            return _writer.ToArray();
        }

        private void OnTransportLost(bool connected)
        {
            bool wasUp;
            lock (Sync)
            {
                if (_phase == CloudLinkPhase.Down)
                {
                    return;
                }

                wasUp = _phase == CloudLinkPhase.Up;
                long now = Clock.UptimeMs;
                GoDown(now, "connection lost", 0);
                _nextAttemptMs = now + ReconnectBackoff.DelayMs(0, _random.NextDouble(), Settings.InitialBackoffMs, Settings.MaxBackoffMs);
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
