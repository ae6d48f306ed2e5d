using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>
    /// Runs the seal cabinet: one <see cref="CompartmentMachine"/> per compartment, fed by door
    /// contacts, polled RFID readers and verified cloud commands (dispense with a single-use
    /// cabinet token, accept-return, enable/disable); carries out their effects on latches, the
    /// camera, flash and the outbox. Every change of a compartment is persisted after its events are
    /// in the outbox, so a power cut can repeat an event (the cloud dedupes by token) but never lose
    /// one; a used token id is persisted before the latch moves, so it can never open twice.
    /// </summary>
    public class CabinetController
    {
        private readonly DeviceIdentity _identity;
        private readonly CabinetHardware _hw;
        private readonly CompartmentSettings _settings;
        private readonly Outbox _outbox;
        private readonly DeviceReporter _reporter;
        private readonly MessageReceiver _receiver;
        private readonly CabinetStateStore _store;
        private readonly UseTokenVerifier _verifier = new UseTokenVerifier();
        private readonly CompartmentState[] _states;
        private readonly object _sync = new object();
        private readonly System.Collections.Hashtable _clipsRecording = new System.Collections.Hashtable();
        private bool _tampered;
        private string _commandId;

        public CabinetController(DeviceIdentity identity, CabinetHardware hardware, CompartmentSettings settings, Outbox outbox, CommandInbox inbox)
        {
            _identity = identity;
            _hw = hardware;
            _settings = settings;
            _outbox = outbox;
            _reporter = new DeviceReporter(identity, outbox, hardware.Clock);
            _receiver = new MessageReceiver(inbox, _reporter);
            _store = new CabinetStateStore(hardware.Flash);
            _store.LoadCabinet();
            _states = new CompartmentState[hardware.Compartments.Length];
            for (int i = 0; i < _states.Length; i++)
            {
                CompartmentHardware c = hardware.Compartments[i];
                c.Latch.Lock();
                CompartmentState s = _store.LoadCompartment(c.Number);
                s.DoorOpen = c.Door.IsActive;
                s.DoorOpenedMs = hardware.Clock.UptimeMs;

                // Assume the seal is where the last persisted state had it: the first read then
                // reports what happened while the power was off (taken from a locked compartment:
                // seal-removed; taken during a collection: dispensed; put back during a return: returned).
                bool sealInside = s.Mode == CompartmentMode.Locked || s.Mode == CompartmentMode.Dispensing;
                s.SeenTag = sealInside && s.SealId != null ? s.ExpectedTag : TagReading.None;
                _states[i] = s;
                c.Door.Changed += OnSwitch;
            }

            if (hardware.Tamper != null)
            {
                hardware.Tamper.Changed += OnSwitch;
            }

            hardware.Link.MessageReceived += OnMessage;
            hardware.Link.ConnectionChanged += OnConnectionChanged;
        }

        public bool Enabled
        {
            get { return _store.Enabled; }
        }

        public bool Tampered
        {
            get { return _tampered; }
        }

        /// <summary>Copies of the compartments' states, in hardware order.</summary>
        public CompartmentState[] Compartments
        {
            get
            {
                lock (_sync)
                {
                    CompartmentState[] copy = new CompartmentState[_states.Length];
                    for (int i = 0; i < copy.Length; i++)
                    {
                        copy[i] = _states[i].Clone();
                    }

                    return copy;
                }
            }
        }

        public void Stop()
        {
            for (int i = 0; i < _hw.Compartments.Length; i++)
            {
                _hw.Compartments[i].Door.Changed -= OnSwitch;
            }

            if (_hw.Tamper != null)
            {
                _hw.Tamper.Changed -= OnSwitch;
            }

            _hw.Link.MessageReceived -= OnMessage;
            _hw.Link.ConnectionChanged -= OnConnectionChanged;
        }

        /// <summary>Announces the boot, then reads every reader once so changes made while the power was off are reported.</summary>
        public void Boot(string firmware, string resetReason, long bootCount)
        {
            BootBody boot = new BootBody();
            boot.Firmware = firmware;
            boot.ResetReason = resetReason;
            boot.BootCount = bootCount;
            boot.Enabled = _store.Enabled;
            _reporter.Send(boot, true);
            if (_hw.Tamper != null && _hw.Tamper.IsActive)
            {
                SetTamper(true, _hw.Tamper.Name);
            }

            PollTags();
            lock (_sync)
            {
                for (int i = 0; i < _states.Length; i++)
                {
                    CompartmentState s = _states[i];
                    if (s.Mode == CompartmentMode.Returning)
                    {
                        // The return did not finish before the power went: the seal is still out.
                        s.Mode = CompartmentMode.Out;
                        _store.SaveCompartment(s);
                    }
                }
            }
        }

        /// <summary>Binds a seal and its tag to an empty compartment (bench and provisioning; the cloud uses accept-return).</summary>
        public void Register(int compartment, string sealId, string tag)
        {
            lock (_sync)
            {
                int i = IndexOf(compartment);
                if (i < 0)
                {
                    throw new System.ArgumentException("no such compartment", "compartment");
                }

                _states[i].SealId = sealId;
                _states[i].ExpectedTag = tag;
                _states[i].SeenTag = _hw.Compartments[i].TagReader.Read();
                _states[i].Mode = _states[i].SeenTag == tag ? CompartmentMode.Locked : CompartmentMode.Out;
                _store.SaveCompartment(_states[i]);
            }
        }

        /// <summary>Call periodically (every ~250 ms): reads the tags and runs the compartments' timeouts.</summary>
        public void Tick()
        {
            _outbox.Tick();
            CollectClips();
            PollTags();
            for (int i = 0; i < _states.Length; i++)
            {
                Step(i, NewInput(CompartmentInputKind.Tick));
            }
        }

        /// <summary>Starts the stamping-video clip of a hand-over or return, named after its attempt so the cloud files it beside the photo.</summary>
        private void StartClip(int compartment, DeviceEffect effect)
        {
            if (_hw.ClipRecorder == null)
            {
                return;
            }

            string clipId = "vid-" + effect.AttemptId;
            if (!_hw.ClipRecorder.Start(clipId))
            {
                _reporter.Alarm(AlarmType.CameraFailure, true, compartment, "no video of the " + WireNames.PhotoPurposes[(int)effect.Purpose] + ": the recorder is busy");
                return;
            }

            PendingClip pending = new PendingClip();
            pending.Compartment = compartment;
            pending.Purpose = effect.Purpose;
            pending.AttemptId = effect.AttemptId;
            _clipsRecording[clipId] = pending;
        }

        /// <summary>Sends the clips that finished recording; a failed or oversized one raises a camera alarm instead.</summary>
        private void CollectClips()
        {
            if (_hw.ClipRecorder == null)
            {
                return;
            }

            RecordedClip clip;
            while ((clip = _hw.ClipRecorder.TakeFinished()) != null)
            {
                lock (_sync)
                {
                    PendingClip pending = (PendingClip)_clipsRecording[clip.ClipId];
                    if (pending == null)
                    {
                        continue; // started before a restart: its attempt is unknown now
                    }

                    _clipsRecording.Remove(clip.ClipId);
                    if (!_reporter.SendClip(clip.Mp4, clip.ClipId, pending.Purpose, pending.AttemptId))
                    {
                        string why = clip.Mp4 == null ? clip.Problem : "the clip is larger than " + PhotoChunker.MaxPhotoBytes.ToString() + " bytes";
                        _reporter.Alarm(AlarmType.CameraFailure, true, pending.Compartment, "no video of the " + WireNames.PhotoPurposes[(int)pending.Purpose] + ": " + why);
                    }
                }
            }
        }

        private void PollTags()
        {
            for (int i = 0; i < _states.Length; i++)
            {
                string tag = _hw.Compartments[i].TagReader.Read();
                if (tag != _states[i].SeenTag)
                {
                    CompartmentInput input = NewInput(CompartmentInputKind.TagRead);
                    input.Tag = tag;
                    Step(i, input);
                }
            }
        }

        private void Step(int index, CompartmentInput input)
        {
            lock (_sync)
            {
                CompartmentState before = _states[index];
                CompartmentTransition t = CompartmentMachine.Step(before, input, _settings);
                _states[index] = t.State;
                bool persisted = false;
                for (int i = 0; i < t.Effects.Count; i++)
                {
                    DeviceEffect effect = (DeviceEffect)t.Effects[i];
                    if (effect.Kind == DeviceEffectKind.Persist)
                    {
                        persisted = true;
                    }

                    Execute(index, effect, input);
                }

                CompartmentState after = _states[index];
                if (!persisted && (after.Mode != before.Mode || after.SealId != before.SealId || after.TokenId != before.TokenId))
                {
                    _store.SaveCompartment(after);
                }
            }
        }

        private void Execute(int index, DeviceEffect effect, CompartmentInput input)
        {
            CompartmentHardware c = _hw.Compartments[index];
            switch (effect.Kind)
            {
                case DeviceEffectKind.Persist:
                    if (input.Kind == CompartmentInputKind.Dispense && input.Token != null)
                    {
                        _store.MarkTokenUsed(input.Token.Id, input.Token.Expires, _hw.Clock.UtcNowMs / 1000);
                        _store.SaveCabinet();
                    }

                    _store.SaveCompartment(_states[index]);
                    break;
                case DeviceEffectKind.Unlock:
                    c.Latch.Unlock();
                    break;
                case DeviceEffectKind.Lock:
                    c.Latch.Lock();
                    break;
                case DeviceEffectKind.Emit:
                    _reporter.Send(effect.Body, effect.Critical);
                    break;
                case DeviceEffectKind.Indicate:
                    _hw.Indicator.Show(effect.Pattern);
                    break;
                case DeviceEffectKind.TakePhoto:
                    string photoId = _reporter.SendPhoto(_hw.Camera.Capture(), effect.Purpose, effect.AttemptId);
                    if (photoId == null)
                    {
                        _reporter.Alarm(AlarmType.CameraFailure, true, c.Number, "no photo of the " + WireNames.PhotoPurposes[(int)effect.Purpose]);
                    }
                    else
                    {
                        _states[index].PhotoId = photoId;
                    }

                    StartClip(c.Number, effect);
                    break;
            }
        }

        private void OnSwitch(ISwitch sender, bool active, long uptimeMs)
        {
            if (sender == _hw.Tamper)
            {
                SetTamper(active, sender.Name);
                return;
            }

            for (int i = 0; i < _hw.Compartments.Length; i++)
            {
                if (_hw.Compartments[i].Door == sender)
                {
                    CompartmentInput input = NewInput(CompartmentInputKind.DoorChanged);
                    input.DoorOpen = active;
                    Step(i, input);
                    return;
                }
            }
        }

        private void SetTamper(bool active, string source)
        {
            lock (_sync)
            {
                if (active == _tampered)
                {
                    return;
                }

                _tampered = active;
                TamperBody tamper = new TamperBody();
                tamper.Source = source;
                tamper.Active = active;
                _reporter.Send(tamper, true);
                _reporter.Alarm(AlarmType.Tamper, active, 0, active ? "cabinet case opened" : null);
                _hw.Indicator.Show(active ? IndicatorPattern.Alarm : (_store.Enabled ? IndicatorPattern.Ready : IndicatorPattern.Disabled));
            }
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
            lock (_sync)
            {
                MessageBody body = _receiver.Receive(topic, payload);
                if (body == null)
                {
                    return;
                }

                _commandId = _receiver.Envelope.Id;
                Dispatch(body);
                _commandId = null;
            }
        }

        private void Dispatch(MessageBody body)
        {
            switch (_receiver.Envelope.Type)
            {
                case MessageTypes.Ack:
                    _outbox.Acknowledge(((AckBody)body).Seqs);
                    return;
                case MessageTypes.DesiredState:
                    DesiredStateBody desired = (DesiredStateBody)body;
                    ApplyDesired(desired.Enabled, desired.Version);
                    return;
                case MessageTypes.SetState:
                    SetStateBody set = (SetStateBody)body;
                    ApplyDesired(set.Enabled, set.Version);
                    _reporter.Result(_commandId, true, RefusalReason.Unknown, null);
                    return;
                case MessageTypes.Dispense:
                    Dispense((DispenseBody)body);
                    return;
                case MessageTypes.AcceptReturn:
                    AcceptReturn((AcceptReturnBody)body);
                    return;
                case MessageTypes.ReportTags:
                    _reporter.Send(TagReportBuilder.Build(((ReportTagsBody)body).CheckId, SeenBySlot()), false);
                    _reporter.Result(_commandId, true, RefusalReason.Unknown, null);
                    return;
                case MessageTypes.SetConfig:
                    SetConfigBody config = (SetConfigBody)body;
                    if (config.DoorAlarmSeconds > 0)
                    {
                        _settings.DoorAlarmMs = config.DoorAlarmSeconds * 1000L;
                    }

                    _reporter.Result(_commandId, true, RefusalReason.Unknown, null);
                    return;
                default:
                    _reporter.Result(_commandId, false, RefusalReason.BadCommand, "a cabinet does not handle " + _receiver.Envelope.Type);
                    return;
            }
        }

        /// <summary>What each compartment's reader saw last, indexed by compartment number − 1.</summary>
        private string[] SeenBySlot()
        {
            int slots = 0;
            for (int i = 0; i < _states.Length; i++)
            {
                slots = _states[i].Number > slots ? _states[i].Number : slots;
            }

            string[] seen = new string[slots];
            for (int i = 0; i < _states.Length; i++)
            {
                seen[_states[i].Number - 1] = _states[i].SeenTag;
            }

            return seen;
        }

        private void ApplyDesired(bool enabled, long version)
        {
            if (version < _store.DesiredVersion)
            {
                // Older than what we applied (re-delivered or replayed): never move backwards, but say where we stand.
                EmitApplied();
                return;
            }

            bool changed = version != _store.DesiredVersion || enabled != _store.Enabled;
            _store.Enabled = enabled;
            _store.DesiredVersion = version;
            if (changed)
            {
                _store.SaveCabinet();
            }

            if (!enabled)
            {
                for (int i = 0; i < _states.Length; i++)
                {
                    Step(i, NewInput(CompartmentInputKind.Disabled));
                }
            }

            _hw.Indicator.Show(_tampered ? IndicatorPattern.Alarm : (enabled ? IndicatorPattern.Ready : IndicatorPattern.Disabled));
            EmitApplied();
        }

        private void EmitApplied()
        {
            StateAppliedBody applied = new StateAppliedBody();
            applied.Version = _store.DesiredVersion;
            applied.Enabled = _store.Enabled;
            _reporter.Send(applied, true);
        }

        private void Dispense(DispenseBody body)
        {
            int index = IndexOf(body.Compartment);
            if (index < 0)
            {
                Refuse(RefusalReason.WrongCompartment, "no compartment " + body.Compartment.ToString(), null);
                return;
            }

            UseToken token = new UseToken();
            string detail;
            long nowSeconds = _hw.Clock.UtcNowMs / 1000;
            if (nowSeconds <= 0)
            {
                Refuse(RefusalReason.ClockNotSet, "cabinet tokens are short-lived: the clock must be set", null);
                return;
            }

            ProtocolError error = _verifier.Verify(body.Token, _identity.DeviceId, _identity.Key, nowSeconds, token, out detail);
            if (error != ProtocolError.None)
            {
                RefusalReason reason = error == ProtocolError.TokenExpired ? RefusalReason.TokenExpired
                    : error == ProtocolError.TokenNotYetValid ? RefusalReason.TokenNotYetValid
                    : error == ProtocolError.TokenWrongAudience ? RefusalReason.WrongDevice
                    : RefusalReason.TokenInvalid;
                Refuse(reason, error.ToString() + ": " + detail, null);
                return;
            }

            CompartmentInput input = NewInput(CompartmentInputKind.Dispense);
            input.Token = token;
            input.TokenAlreadyUsed = _store.IsTokenUsed(token.Id);
            input.SealId = body.SealId;
            Step(index, input);
        }

        private void AcceptReturn(AcceptReturnBody body)
        {
            int index = IndexOf(body.Compartment);
            if (index < 0)
            {
                _reporter.Result(_commandId, false, RefusalReason.WrongCompartment, "no compartment " + body.Compartment.ToString());
                return;
            }

            CompartmentInput input = NewInput(CompartmentInputKind.AcceptReturn);
            input.SealId = body.SealId;
            input.Tag = body.ExpectedTag;
            Step(index, input);
        }

        private void Refuse(RefusalReason reason, string detail, string tokenId)
        {
            _reporter.Result(_commandId, false, reason, detail);
            RefusedBody refused = new RefusedBody();
            refused.Reason = reason;
            refused.Detail = detail;
            refused.TokenId = tokenId;
            _reporter.Send(refused, true);
        }

        private int IndexOf(int compartment)
        {
            for (int i = 0; i < _hw.Compartments.Length; i++)
            {
                if (_hw.Compartments[i].Number == compartment)
                {
                    return i;
                }
            }

            return -1;
        }

        private CompartmentInput NewInput(CompartmentInputKind kind)
        {
            CompartmentInput input = CompartmentInput.Of(kind, _hw.Clock.UptimeMs);
            input.Enabled = _store.Enabled;
            input.Tampered = _tampered;
            input.CanRecord = _outbox.CanRecordCritical;
            input.CommandId = _commandId;
            return input;
        }
    }
}
