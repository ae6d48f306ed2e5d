using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>
    /// Runs the portable lock: turns hardware events and verified cloud messages into
    /// <see cref="LockInput"/>s, steps <see cref="LockMachine"/>, and carries out its effects on the
    /// bolt, the camera, flash and the outbox. Single-threaded by design: the device's main loop
    /// (or the simulator) calls it; the lock on <c>_sync</c> only guards against driver callbacks.
    /// </summary>
    public class LockController
    {
        private readonly DeviceIdentity _identity;
        private readonly LockHardware _hw;
        private readonly LockSettings _settings;
        private readonly Outbox _outbox;
        private readonly LockStateStore _stateStore;
        private readonly PositionReporter _positions;
        private readonly UseTokenVerifier _verifier = new UseTokenVerifier();
        private readonly DeviceReporter _reporter;
        private readonly MessageReceiver _receiver;
        private readonly object _sync = new object();
        private LockState _state;
        private long _lastTagPollMs = -SealTagPollMs;

        public LockController(DeviceIdentity identity, LockHardware hardware, LockSettings settings, Outbox outbox, CommandInbox inbox, PositionReporter positions)
        {
            _identity = identity;
            _hw = hardware;
            _settings = settings;
            _outbox = outbox;
            _positions = positions;
            _reporter = new DeviceReporter(identity, outbox, hardware.Clock);
            _receiver = new MessageReceiver(inbox, _reporter);
            _stateStore = new LockStateStore(hardware.Flash, identity);
            _state = _stateStore.Load();
            _hw.Bolt.Lock();
            _hw.Button.Changed += OnSwitch;
            _hw.StampSwitch.Changed += OnSwitch;
            _hw.Tamper.Changed += OnSwitch;
            _hw.Link.MessageReceived += OnMessage;
            _hw.Link.ConnectionChanged += OnConnectionChanged;
        }

        /// <summary>Unhooks from the hardware events (power-off in simulators, shutdown on the device).</summary>
        public void Stop()
        {
            _hw.Button.Changed -= OnSwitch;
            _hw.StampSwitch.Changed -= OnSwitch;
            _hw.Tamper.Changed -= OnSwitch;
            _hw.Link.MessageReceived -= OnMessage;
            _hw.Link.ConnectionChanged -= OnConnectionChanged;
        }

        /// <summary>A copy of the current state (for status pages, simulators and tests).</summary>
        public LockState State
        {
            get { return _state.Clone(); }
        }

        /// <summary>Announces the boot and applies a tamper loop that is already open.</summary>
        public void Boot(string firmware, string resetReason, long bootCount)
        {
            BootBody boot = new BootBody();
            boot.Firmware = firmware;
            boot.ResetReason = resetReason;
            boot.BootCount = bootCount;
            boot.Enabled = _state.Enabled;
            Send(boot, true);
            if (_hw.Tamper.IsActive)
            {
                LockInput input = NewInput(LockInputKind.TamperChanged);
                input.Active = true;
                Handle(input);
            }
        }

        /// <summary>
        /// Offers a fix from the GNSS receiver: believable ones become the current position (used by
        /// stamp attempts and geofence supervision); due ones are published as telemetry.
        /// </summary>
        public PositionDecision OfferFix(GnssFix fix)
        {
            PositionDecision decision;
            lock (_sync)
            {
                decision = _positions.Offer(fix, _hw.Clock.UptimeMs);
                if (decision == PositionDecision.Report)
                {
                    PositionBody position = new PositionBody();
                    position.Fix = fix.ToWire();
                    position.Moving = _positions.Moving;
                    Send(position, false);
                }
            }

            if (decision == PositionDecision.Report || decision == PositionDecision.NotDue)
            {
                Handle(NewInput(LockInputKind.FixAccepted));
            }

            return decision;
        }

        private void PollSealTag()
        {
            long now = _hw.Clock.UptimeMs;
            if (_hw.SealTag == null || now - _lastTagPollMs < SealTagPollMs)
            {
                return;
            }

            _lastTagPollMs = now;
            string tag = _hw.SealTag.Read();
            if (tag != _state.SeenTag)
            {
                LockInput input = NewInput(LockInputKind.SealTagChanged);
                input.SealTag = tag;
                Handle(input);
            }
        }

        /// <summary>Publishes a battery reading and raises or clears the low-battery alarm.</summary>
        public void ReportBattery(int percent, int milliVolts, bool charging)
        {
            BatteryBody battery = new BatteryBody();
            battery.Percent = percent;
            battery.MilliVolts = milliVolts;
            battery.Charging = charging;
            lock (_sync)
            {
                Send(battery, false);
            }

            LockInput input = NewInput(LockInputKind.Battery);
            input.BatteryPercent = percent;
            Handle(input);
        }

        /// <summary>Call periodically (e.g. every 250 ms): timeouts for verdicts and relocking.</summary>
        /// <summary>How often the seal tag reader is polled for seal-removed supervision.</summary>
        public const long SealTagPollMs = 5000;

        public void Tick()
        {
            _outbox.Tick();
            PollSealTag();
            LockMode mode = _state.Mode;
            if (mode == LockMode.Checking || mode == LockMode.AwaitingVerdict || mode == LockMode.Unlocked)
            {
                Handle(NewInput(LockInputKind.Tick)); // only these modes have timeouts: idle ticks allocate nothing
            }
        }

        public void Handle(LockInput input)
        {
            lock (_sync)
            {
                LockTransition t = LockMachine.Step(_state, input, _settings);
                _state = t.State;
                for (int i = 0; i < t.Effects.Count; i++)
                {
                    Execute((DeviceEffect)t.Effects[i]);
                }
            }
        }

        private void Execute(DeviceEffect effect)
        {
            switch (effect.Kind)
            {
                case DeviceEffectKind.Persist:
                    _stateStore.Save(_state);
                    break;
                case DeviceEffectKind.Unlock:
                    _hw.Bolt.Unlock();
                    break;
                case DeviceEffectKind.Lock:
                    _hw.Bolt.Lock();
                    break;
                case DeviceEffectKind.Emit:
                    Send(effect.Body, effect.Critical);
                    break;
                case DeviceEffectKind.Indicate:
                    _hw.Indicator.Show(effect.Pattern);
                    break;
                case DeviceEffectKind.TakePhoto:
                    TakePhoto(effect);
                    break;
            }
        }

        private void TakePhoto(DeviceEffect effect)
        {
            string photoId = _reporter.SendPhoto(_hw.Camera.Capture(), effect.Purpose, effect.AttemptId);
            if (effect.Purpose != PhotoPurpose.Before)
            {
                return; // the after-photo is evidence only; the stamp already happened
            }

            LockInput input = NewInput(photoId == null ? LockInputKind.PhotoFailed : LockInputKind.BeforePhotoTaken);
            input.AttemptId = effect.AttemptId;
            input.PhotoId = photoId;
            Handle(input);
        }

        private void OnSwitch(ISwitch sender, bool active, long uptimeMs)
        {
            LockInput input;
            if (sender == _hw.Button)
            {
                if (!active)
                {
                    return;
                }

                input = NewInput(LockInputKind.ButtonPressed);
                if (_hw.SealTag != null)
                {
                    input.HasTagReader = true;
                    input.SealTag = _hw.SealTag.Read(); // the seal in the lock right now, not the last poll
                }

            }
            else if (sender == _hw.StampSwitch)
            {
                input = NewInput(LockInputKind.StampPressed);
            }
            else
            {
                input = NewInput(LockInputKind.TamperChanged);
                input.Detail = sender.Name;
            }

            input.Active = active;
            Handle(input);
        }

        private void OnConnectionChanged(bool connected)
        {
            if (connected)
            {
                _outbox.Flush();
            }
        }

        private void OnMessage(string topic, byte[] payload)
        {
            MessageBody body = _receiver.Receive(topic, payload);
            if (body != null)
            {
                Dispatch(body);
            }
        }

        private void Dispatch(MessageBody body)
        {
            LockInput input;
            switch (_receiver.Envelope.Type)
            {
                case MessageTypes.Ack:
                    _outbox.Acknowledge(((AckBody)body).Seqs);
                    return;
                case MessageTypes.DesiredState:
                    DesiredStateBody desired = (DesiredStateBody)body;
                    if (desired.Version < _state.DesiredVersion)
                    {
                        // Older than what was applied: a replay or a late re-delivery. Its enable
                        // flag, token and revocations are all history and are ignored.
                        return;
                    }

                    ApplyDesired(desired.Enabled, desired.Version);
                    if (desired.Token != null)
                    {
                        LoadToken(desired.Token, false);
                    }

                    if (desired.RevokedTokenIds != null)
                    {
                        for (int i = 0; i < desired.RevokedTokenIds.Length; i++)
                        {
                            Revoke(desired.RevokedTokenIds[i]);
                        }
                    }

                    return;
                case MessageTypes.SetState:
                    SetStateBody set = (SetStateBody)body;
                    ApplyDesired(set.Enabled, set.Version);
                    Result(true, RefusalReason.Unknown, null);
                    return;
                case MessageTypes.LoadToken:
                    LoadToken(((LoadTokenBody)body).Token, true);
                    return;
                case MessageTypes.ReportTags:
                    if (_hw.SealTag == null)
                    {
                        Result(false, RefusalReason.BadCommand, "this lock has no seal tag reader");
                        return;
                    }

                    Send(TagReportBuilder.Build(((ReportTagsBody)body).CheckId, new string[] { _state.SeenTag }), false);
                    Result(true, RefusalReason.Unknown, null);
                    return;
                case MessageTypes.RevokeToken:
                    string[] ids = ((RevokeTokenBody)body).TokenIds;
                    for (int i = 0; i < ids.Length; i++)
                    {
                        Revoke(ids[i]);
                    }

                    Result(true, RefusalReason.Unknown, null);
                    return;
                case MessageTypes.DocumentVerdict:
                    DocumentVerdictBody verdict = (DocumentVerdictBody)body;
                    input = NewInput(LockInputKind.Verdict);
                    input.AttemptId = verdict.AttemptId;
                    input.Verdict = verdict.Verdict;
                    input.DocumentId = verdict.DocumentId;
                    input.Page = verdict.Page;
                    input.Detail = verdict.Detail;
                    Handle(input);
                    return;
                case MessageTypes.LocateNow:
                    if (_positions.Current != null)
                    {
                        PositionBody position = new PositionBody();
                        position.Fix = _positions.Current.ToWire();
                        position.Moving = _positions.Moving;
                        Send(position, false);
                    }

                    Result(_positions.Current != null, RefusalReason.NoFix, _positions.Current == null ? "no fix yet" : null);
                    return;
                default:
                    Result(false, RefusalReason.BadCommand, "a lock does not handle " + _receiver.Envelope.Type);
                    return;
            }
        }

        private void ApplyDesired(bool enabled, long version)
        {
            LockInput input = NewInput(LockInputKind.DesiredState);
            input.Enabled = enabled;
            input.Version = version;
            Handle(input);
        }

        private void LoadToken(string jws, bool reply)
        {
            UseToken token = new UseToken();
            string detail;
            ProtocolError error = _verifier.Verify(jws, _identity.DeviceId, _identity.Key, _hw.Clock.UtcNowMs / 1000, token, out detail);
            if (error == ProtocolError.TokenNotYetValid || (error == ProtocolError.TokenExpired && _hw.Clock.UtcNowMs <= 0))
            {
                // Valid later (or the clock is not set yet): keep it; every use checks the window again.
                error = _verifier.VerifyStored(jws, _identity.DeviceId, _identity.Key, token, out detail);
            }

            if (error != ProtocolError.None)
            {
                RefusedBody refused = new RefusedBody();
                refused.Reason = error == ProtocolError.TokenExpired ? RefusalReason.TokenExpired : error == ProtocolError.TokenWrongAudience ? RefusalReason.WrongDevice : RefusalReason.TokenInvalid;
                refused.Detail = error.ToString() + ": " + detail;
                Send(refused, true);
                if (reply)
                {
                    Result(false, refused.Reason, refused.Detail);
                }

                return;
            }

            LockInput input = NewInput(LockInputKind.TokenLoaded);
            input.Token = token;
            input.TokenJws = jws;
            Handle(input);
            if (reply)
            {
                Result(true, RefusalReason.Unknown, null);
            }
        }

        private void Revoke(string jti)
        {
            LockInput input = NewInput(LockInputKind.TokenRevoked);
            input.TokenId = jti;
            Handle(input);
        }

        private void Result(bool ok, RefusalReason reason, string detail)
        {
            _reporter.Result(_receiver.Envelope.Id, ok, reason, detail);
        }

        private void Send(MessageBody body, bool critical)
        {
            _reporter.Send(body, critical);
        }

        private LockInput NewInput(LockInputKind kind)
        {
            LockInput input = LockInput.Of(kind, _hw.Clock.UtcNowMs, _hw.Clock.UptimeMs);
            input.Online = _hw.Link.IsConnected;
            input.CanRecord = _outbox.CanRecordCritical;
            input.Fix = _positions.Current;
            input.FixUptimeMs = _positions.CurrentUptimeMs;
            return input;
        }
    }
}
