using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>
    /// One cabinet compartment's decisions as a pure function. It opens only for a verified,
    /// unused cabinet token naming this compartment and its seal, confirms the seal's tag left,
    /// re-latches when the door closes, takes back only the right tag (a wrong seal raises an
    /// alarm and the compartment stays open for correction), and raises forced-door,
    /// seal-removed, door-held-open and tag-unreadable alarms.
    /// </summary>
    public static class CompartmentMachine
    {
        public static CompartmentTransition Step(CompartmentState state, CompartmentInput input, CompartmentSettings settings)
        {
            CompartmentTransition t = new CompartmentTransition(state.Clone());
            switch (input.Kind)
            {
                case CompartmentInputKind.Dispense:
                    Dispense(t, input);
                    break;
                case CompartmentInputKind.AcceptReturn:
                    AcceptReturn(t, input);
                    break;
                case CompartmentInputKind.DoorChanged:
                    DoorChanged(t, input);
                    break;
                case CompartmentInputKind.TagRead:
                    TagRead(t, input);
                    break;
                case CompartmentInputKind.PhotoTaken:
                    t.State.PhotoId = input.PhotoId;
                    break;
                case CompartmentInputKind.Tick:
                    Tick(t, input, settings);
                    break;
                case CompartmentInputKind.Disabled:
                    if (t.State.Mode == CompartmentMode.Dispensing && !t.State.DoorOpen && t.State.Released)
                    {
                        Latch(t); // released but not yet opened: the collection is withdrawn
                        Enter(t.State, CompartmentMode.Locked, input);
                    }

                    break;
            }

            return t;
        }

        private static void Dispense(CompartmentTransition t, CompartmentInput input)
        {
            CompartmentState s = t.State;
            RefusalReason reason = RefusalReason.Unknown;
            string detail = null;
            UseToken token = input.Token;
            if (!input.Enabled)
            {
                reason = RefusalReason.Disabled;
            }
            else if (input.Tampered)
            {
                reason = RefusalReason.Tampered;
                detail = "cabinet case is open";
            }
            else if (!input.CanRecord)
            {
                reason = RefusalReason.QueueFull;
                detail = "no room on flash to record the hand-over";
            }
            else if (s.Mode != CompartmentMode.Locked)
            {
                reason = RefusalReason.Busy;
                detail = "compartment is not holding its seal";
            }
            else if (token == null || token.Mode != UseToken.ModeCabinet)
            {
                reason = RefusalReason.TokenInvalid;
                detail = "a cabinet token is required";
            }
            else if (token.Compartment != s.Number)
            {
                reason = RefusalReason.WrongCompartment;
                detail = "token is for compartment " + token.Compartment.ToString();
            }
            else if (token.SealId != s.SealId || input.SealId != s.SealId)
            {
                reason = RefusalReason.WrongSeal;
                detail = "token is for seal " + token.SealId;
            }
            else if (input.TokenAlreadyUsed)
            {
                reason = RefusalReason.ReplayedCommand;
                detail = "cabinet tokens are single-use";
            }
            else if (s.SeenTag != s.ExpectedTag)
            {
                reason = RefusalReason.WrongSeal;
                detail = "the seal's tag is not in the compartment";
            }

            if (reason != RefusalReason.Unknown)
            {
                CommandResultBody result = new CommandResultBody();
                result.CommandId = input.CommandId == null ? "dispense" : input.CommandId;
                result.Ok = false;
                result.Reason = reason;
                result.Detail = detail;
                Emit(t, result);
                RefusedBody refused = new RefusedBody();
                refused.Reason = reason;
                refused.Detail = detail;
                refused.TokenId = token == null ? null : token.Id;
                Emit(t, refused);
                return;
            }

            s.TokenId = token.Id;
            s.PhotoId = null;
            Enter(s, CompartmentMode.Dispensing, input);
            s.Released = true;
            t.Add(DeviceEffectKind.Persist).Compartment = s.Number; // the used jti, before the latch moves
            CommandResultBody ok = new CommandResultBody();
            ok.CommandId = input.CommandId == null ? "dispense" : input.CommandId;
            ok.Ok = true;
            Emit(t, ok); // on flash before the latch moves: no opening without a record
            t.Add(DeviceEffectKind.Unlock).Compartment = s.Number;
            DeviceEffect photo = t.Add(DeviceEffectKind.TakePhoto);
            photo.Purpose = PhotoPurpose.Handover;
            photo.AttemptId = token.Id;
            photo.Compartment = s.Number;
        }

        private static void AcceptReturn(CompartmentTransition t, CompartmentInput input)
        {
            CompartmentState s = t.State;
            CommandResultBody result = new CommandResultBody();
            result.CommandId = input.CommandId == null ? "accept-return" : input.CommandId;
            if (!input.Enabled || input.Tampered)
            {
                result.Ok = false;
                result.Reason = input.Enabled ? RefusalReason.Tampered : RefusalReason.Disabled;
                Emit(t, result);
                return;
            }

            if (s.SealId == null && input.SealId != null && input.Tag != null && input.Tag.Length > 0)
            {
                // An empty compartment takes the seal the keeper binds into it.
                s.SealId = input.SealId;
                s.ExpectedTag = input.Tag;
                s.Mode = CompartmentMode.Out;
            }
            else if (input.SealId != null && input.SealId != s.SealId)
            {
                result.Ok = false;
                result.Reason = RefusalReason.WrongSeal;
                result.Detail = "compartment holds seal " + s.SealId;
                Emit(t, result);
                return;
            }

            if (s.Mode != CompartmentMode.Out && s.Mode != CompartmentMode.Fault)
            {
                result.Ok = false;
                result.Reason = RefusalReason.Busy;
                result.Detail = "the seal is not out";
                Emit(t, result);
                return;
            }

            Enter(s, CompartmentMode.Returning, input);
            s.Released = true;
            t.Add(DeviceEffectKind.Persist).Compartment = s.Number;
            t.Add(DeviceEffectKind.Unlock).Compartment = s.Number;
            DeviceEffect photo = t.Add(DeviceEffectKind.TakePhoto);
            photo.Purpose = PhotoPurpose.Return;
            photo.AttemptId = input.CommandId == null ? "return" : input.CommandId;
            photo.Compartment = s.Number;
            result.Ok = true;
            Emit(t, result);
        }

        private static void DoorChanged(CompartmentTransition t, CompartmentInput input)
        {
            CompartmentState s = t.State;
            if (input.DoorOpen == s.DoorOpen)
            {
                return;
            }

            s.DoorOpen = input.DoorOpen;
            DoorBody door = new DoorBody();
            door.Compartment = s.Number;
            door.Open = input.DoorOpen;
            if (input.DoorOpen)
            {
                s.DoorOpenedMs = input.UptimeMs;
                s.DoorAlarmRaised = false;
                door.Forced = !s.Released;
                Emit(t, door);
                if (!s.Released)
                {
                    Alarm(t, AlarmType.ForcedDoor, true, "door opened while latched");
                }

                return;
            }

            door.HeldOpenSeconds = (int)((input.UptimeMs - s.DoorOpenedMs) / 1000);
            Emit(t, door);
            if (s.DoorAlarmRaised)
            {
                Alarm(t, AlarmType.DoorHeldOpen, false, null);
                s.DoorAlarmRaised = false;
            }

            if (s.Mode == CompartmentMode.Returning && s.SeenTag != s.ExpectedTag)
            {
                // Shut on a wrong or missing seal: latch anyway (the door cannot be held open) and
                // stay at fault until a keeper accepts a correct return.
                Latch(t);
                Enter(s, CompartmentMode.Fault, input);
                return;
            }

            if (s.Mode == CompartmentMode.Dispensing && s.SeenTag == s.ExpectedTag)
            {
                Latch(t); // opened but the seal was not taken: back to locked, token spent
                Enter(s, CompartmentMode.Locked, input);
                return;
            }

            if (s.Released)
            {
                Latch(t);
            }
        }

        private static void TagRead(CompartmentTransition t, CompartmentInput input)
        {
            CompartmentState s = t.State;
            string tag = input.Tag == null ? TagReading.None : input.Tag;
            if (tag == s.SeenTag)
            {
                return;
            }

            string previous = s.SeenTag;
            s.SeenTag = tag;
            if (tag == TagReading.Unreadable)
            {
                Alarm(t, AlarmType.TagUnreadable, true, "RFID reader cannot read the compartment");
                return;
            }

            if (previous == TagReading.Unreadable)
            {
                Alarm(t, AlarmType.TagUnreadable, false, null);
            }

            switch (s.Mode)
            {
                case CompartmentMode.Dispensing:
                    if (tag == TagReading.None)
                    {
                        DispensedBody dispensed = new DispensedBody();
                        dispensed.Compartment = s.Number;
                        dispensed.SealId = s.SealId;
                        dispensed.TagId = s.ExpectedTag;
                        dispensed.TokenId = s.TokenId;
                        dispensed.PhotoId = s.PhotoId;
                        Emit(t, dispensed);
                        Enter(s, CompartmentMode.Out, input);
                        if (!s.DoorOpen)
                        {
                            Latch(t);
                        }
                    }

                    break;
                case CompartmentMode.Returning:
                case CompartmentMode.Fault:
                    if (previous != null && previous.Length > 0 && previous != TagReading.Unreadable && previous != s.ExpectedTag)
                    {
                        Alarm(t, AlarmType.WrongSeal, false, "wrong seal taken out again"); // corrected
                    }

                    if (tag == s.ExpectedTag)
                    {
                        ReturnedBody returned = new ReturnedBody();
                        returned.Compartment = s.Number;
                        returned.SealId = s.SealId;
                        returned.TagId = tag;
                        Emit(t, returned);

                        Enter(s, CompartmentMode.Locked, input);
                        if (!s.DoorOpen)
                        {
                            Latch(t);
                        }
                    }
                    else if (tag != TagReading.None)
                    {
                        WrongSealBody wrong = new WrongSealBody();
                        wrong.Compartment = s.Number;
                        wrong.ExpectedTag = s.ExpectedTag;
                        wrong.SeenTag = tag;
                        Emit(t, wrong);
                        Alarm(t, AlarmType.WrongSeal, true, "expected " + s.ExpectedTag + ", saw " + tag);
                    }

                    break;
                case CompartmentMode.Locked:
                    if (tag == TagReading.None && s.SealId != null && previous == s.ExpectedTag)
                    {
                        SealRemovedBody removed = new SealRemovedBody();
                        removed.Compartment = s.Number;
                        removed.TagId = previous;
                        Emit(t, removed);
                        Alarm(t, AlarmType.SealRemoved, true, "seal left without a dispense");
                        Enter(s, CompartmentMode.Fault, input);
                    }

                    break;
            }
        }

        private static void Tick(CompartmentTransition t, CompartmentInput input, CompartmentSettings settings)
        {
            CompartmentState s = t.State;
            if (s.DoorOpen && !s.DoorAlarmRaised && input.UptimeMs - s.DoorOpenedMs >= settings.DoorAlarmMs)
            {
                s.DoorAlarmRaised = true;
                Alarm(t, AlarmType.DoorHeldOpen, true, "door open for " + ((input.UptimeMs - s.DoorOpenedMs) / 1000).ToString() + " s");
            }

            if (s.Mode == CompartmentMode.Dispensing && !s.DoorOpen && input.UptimeMs - s.ModeSinceMs >= settings.CollectTimeoutMs)
            {
                Latch(t); // released but never opened: the collection lapses
                Enter(s, CompartmentMode.Locked, input);
            }
        }

        private static void Latch(CompartmentTransition t)
        {
            t.State.Released = false;
            t.Add(DeviceEffectKind.Lock).Compartment = t.State.Number;
        }

        private static void Alarm(CompartmentTransition t, AlarmType type, bool active, string detail)
        {
            AlarmBody alarm = new AlarmBody();
            alarm.Alarm = type;
            alarm.Active = active;
            alarm.Compartment = t.State.Number;
            alarm.Detail = detail;
            Emit(t, alarm);
            if (active)
            {
                t.Add(DeviceEffectKind.Indicate).Pattern = IndicatorPattern.Alarm;
            }
        }

        private static void Emit(CompartmentTransition t, MessageBody body)
        {
            DeviceEffect effect = t.Add(DeviceEffectKind.Emit);
            effect.Body = body;
            effect.Critical = true;
            effect.Compartment = t.State.Number;
        }

        private static void Enter(CompartmentState s, CompartmentMode mode, CompartmentInput input)
        {
            s.Mode = mode;
            s.ModeSinceMs = input.UptimeMs;
        }
    }
}
