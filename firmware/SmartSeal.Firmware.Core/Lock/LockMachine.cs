using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>
    /// The portable lock's decisions as a pure function: (state, input, settings) → (new state,
    /// effects). No I/O, no clock, no randomness, so the device, the simulators and the tests run
    /// exactly the same logic. The use count is decremented and persisted in the same transition
    /// that opens the lock, with Persist ordered before Unlock: a power cut can lose a stamp, never
    /// add one.
    /// </summary>
    public static class LockMachine
    {
        public static LockTransition Step(LockState state, LockInput input, LockSettings settings)
        {
            LockTransition t = new LockTransition(state.Clone());
            switch (input.Kind)
            {
                case LockInputKind.DesiredState:
                    ApplyDesiredState(t, input);
                    break;
                case LockInputKind.TamperChanged:
                    ApplyTamper(t, input);
                    break;
                case LockInputKind.TokenLoaded:
                    LoadToken(t, input);
                    break;
                case LockInputKind.TokenRevoked:
                    RevokeToken(t, input, settings);
                    break;
                case LockInputKind.ButtonPressed:
                    StartAttempt(t, input, settings);
                    break;
                case LockInputKind.BeforePhotoTaken:
                    if (t.State.Mode == LockMode.Checking && input.AttemptId == t.State.AttemptId)
                    {
                        t.State.BeforePhotoId = input.PhotoId;
                        AfterBeforePhoto(t, input, settings);
                    }

                    break;
                case LockInputKind.PhotoFailed:
                    if (t.State.Mode == LockMode.Checking && input.AttemptId == t.State.AttemptId)
                    {
                        Refuse(t, input, RefusalReason.CameraFailed, "camera did not deliver the page photo", settings);
                    }

                    break;
                case LockInputKind.Verdict:
                    ApplyVerdict(t, input, settings);
                    break;
                case LockInputKind.StampPressed:
                    if (t.State.Mode == LockMode.Unlocked && input.Active)
                    {
                        Stamped(t, input);
                    }

                    break;
                case LockInputKind.Tick:
                    ApplyTimeouts(t, input, settings);
                    break;
                case LockInputKind.FixAccepted:
                    SuperviseFence(t, input);
                    break;
                case LockInputKind.Battery:
                    SuperviseBattery(t, input, settings);
                    break;
                case LockInputKind.SealTagChanged:
                    SuperviseSealTag(t, input);
                    break;
            }

            return t;
        }

        private static void ApplyDesiredState(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            if (input.Version < s.DesiredVersion)
            {
                return; // an older state (replayed or re-delivered): never move backwards
            }

            bool changed = input.Version > s.DesiredVersion || input.Enabled != s.Enabled;
            s.DesiredVersion = input.Version;
            s.Enabled = input.Enabled;
            if (!input.Enabled && s.Mode != LockMode.Disabled)
            {
                if (s.Mode == LockMode.Unlocked)
                {
                    Relock(t, RelockReason.Disabled);
                }

                Enter(s, LockMode.Disabled, input);
                Indicate(t, IndicatorPattern.Disabled);
            }
            else if (input.Enabled && s.Mode == LockMode.Disabled)
            {
                Enter(s, s.TamperActive ? LockMode.Tampered : LockMode.Idle, input);
                Indicate(t, s.TamperActive ? IndicatorPattern.Alarm : IndicatorPattern.Ready);
            }

            if (changed)
            {
                t.Add(DeviceEffectKind.Persist);
            }

            StateAppliedBody applied = new StateAppliedBody();
            applied.Version = s.DesiredVersion;
            applied.Enabled = s.Enabled;
            Emit(t, applied, true);
        }

        private static void ApplyTamper(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            if (input.Active == s.TamperActive)
            {
                return;
            }

            s.TamperActive = input.Active;
            TamperBody tamper = new TamperBody();
            tamper.Source = input.Detail == null ? "case" : input.Detail;
            tamper.Active = input.Active;
            Emit(t, tamper, true);
            Alarm(t, AlarmType.Tamper, input.Active, null);
            if (input.Active)
            {
                if (s.Mode == LockMode.Unlocked)
                {
                    Relock(t, RelockReason.Command);
                }

                if (s.Mode != LockMode.Disabled)
                {
                    Enter(s, LockMode.Tampered, input);
                }

                Indicate(t, IndicatorPattern.Alarm);
            }
            else if (s.Mode == LockMode.Tampered)
            {
                Enter(s, s.Enabled ? LockMode.Idle : LockMode.Disabled, input);
                Indicate(t, s.Enabled ? IndicatorPattern.Ready : IndicatorPattern.Disabled);
            }
        }

        private static void LoadToken(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            bool sameToken = s.Token != null && s.Token.Id == input.Token.Id;
            if (!sameToken && s.IsRetired(input.Token.Id))
            {
                RefusedBody refused = new RefusedBody();
                refused.Reason = RefusalReason.TokenRevoked;
                refused.TokenId = input.Token.Id;
                refused.Detail = "token was used up, replaced or revoked before";
                Emit(t, refused, true);
                return;
            }

            if (!sameToken)
            {
                if (s.Token != null)
                {
                    s.Retire(s.Token.Id);
                }

                // A new token starts with its full allowance; re-delivery of the same token (retained
                // desired state after every reconnect) must not refill the count.
                s.Token = input.Token;
                s.TokenJws = input.TokenJws;
                s.Remaining = input.Token.Uses;
                s.OfflineRemaining = input.Token.OfflineUses;
                t.Add(DeviceEffectKind.Persist);
            }

            TokenLoadedBody loaded = new TokenLoadedBody();
            loaded.TokenId = s.Token.Id;
            loaded.Uses = s.Token.Uses;
            loaded.Remaining = s.Remaining;
            Emit(t, loaded, true);
        }

        private static void RevokeToken(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            if (s.Token == null || s.Token.Id != input.TokenId)
            {
                if (!s.IsRetired(input.TokenId))
                {
                    s.Retire(input.TokenId); // revoked before it arrived: it must never load
                    t.Add(DeviceEffectKind.Persist);
                }

                return;
            }

            s.Retire(s.Token.Id);

            if (s.Mode == LockMode.Unlocked)
            {
                Relock(t, RelockReason.Command);
                Enter(s, LockMode.Idle, input);
            }
            else if (s.Mode == LockMode.Checking || s.Mode == LockMode.AwaitingVerdict)
            {
                Refuse(t, input, RefusalReason.TokenRevoked, "token revoked during the attempt", settings);
            }

            s.Token = null;
            s.TokenJws = null;
            s.Remaining = 0;
            s.OfflineRemaining = 0;
            t.Add(DeviceEffectKind.Persist);
        }

        private static void StartAttempt(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            if (s.Mode == LockMode.Checking || s.Mode == LockMode.AwaitingVerdict || s.Mode == LockMode.Unlocked)
            {
                return; // a press during an attempt changes nothing
            }

            RefusalReason reason = RefusalReason.Unknown;
            string detail = null;
            if (s.Mode == LockMode.Disabled || !s.Enabled)
            {
                reason = RefusalReason.Disabled;
            }
            else if (s.Mode == LockMode.Tampered)
            {
                reason = RefusalReason.Tampered;
            }
            else if (s.Token == null)
            {
                reason = RefusalReason.NoToken;
            }
            else if (input.NowMs <= 0)
            {
                reason = RefusalReason.ClockNotSet;
            }
            else if (input.NowMs / 1000 >= s.Token.Expires)
            {
                reason = RefusalReason.TokenExpired;
            }
            else if (input.NowMs / 1000 < s.Token.NotBefore)
            {
                reason = RefusalReason.TokenNotYetValid;
            }
            else if (s.Remaining <= 0)
            {
                reason = RefusalReason.UsesExhausted;
            }
            else if (!input.CanRecord)
            {
                reason = RefusalReason.QueueFull;
            }
            else if (input.HasTagReader && s.Token.SealTag != null && input.SealTag != s.Token.SealTag)
            {
                reason = RefusalReason.WrongSeal;
                detail = input.SealTag == null || input.SealTag.Length == 0 ? "no seal in the lock" : input.SealTag == "?" ? "seal tag unreadable" : "the lock holds seal tag " + input.SealTag + ", the token is for " + s.Token.SealTag;
            }
            else if (s.Token.Fence != null)
            {
                reason = CheckFence(s.Token.Fence, input, settings, out detail);
            }

            s.AttemptCounter++;
            s.AttemptId = "att-" + s.AttemptCounter.ToString();
            if (reason != RefusalReason.Unknown)
            {
                t.Add(DeviceEffectKind.Persist);
                Refuse(t, input, reason, detail, settings);
                return;
            }

            Enter(s, LockMode.Checking, input);
            s.BeforePhotoId = null;
            s.DocumentId = null;
            s.Page = 0;
            t.Add(DeviceEffectKind.Persist);
            Indicate(t, IndicatorPattern.Working);
            DeviceEffect photo = t.Add(DeviceEffectKind.TakePhoto);
            photo.Purpose = PhotoPurpose.Before;
            photo.AttemptId = s.AttemptId;
        }

        private static RefusalReason CheckFence(GeoFence fence, LockInput input, LockSettings settings, out string detail)
        {
            detail = null;
            if (input.Fix == null || input.UptimeMs - input.FixUptimeMs > settings.MaxFixAgeMs)
            {
                return RefusalReason.NoFix;
            }

            double metresInside;
            GeoFenceCheck where = fence.Check(input.Fix.Latitude, input.Fix.Longitude, input.Fix.AccuracyM, out metresInside);
            if (where == GeoFenceCheck.Inside)
            {
                return RefusalReason.Unknown;
            }

            if (where == GeoFenceCheck.Outside)
            {
                detail = ((long)(-metresInside)).ToString() + " m outside the approved area";
                return RefusalReason.OutsideGeofence;
            }

            detail = "fix accuracy " + ((long)input.Fix.AccuracyM).ToString() + " m is not enough to tell";
            return where == GeoFenceCheck.Uncertain ? RefusalReason.FixNotPrecise : RefusalReason.NoFix;
        }

        /// <summary>
        /// Raises geofence-exit once when a confident fix puts the lock outside its token's area, and
        /// clears it once when a confident fix puts it back inside; uncertain fixes change nothing.
        /// </summary>
        private static void SuperviseFence(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            if (input.Fix == null)
            {
                return;
            }

            bool fenced = s.Token != null && s.Token.Fence != null;
            if (!fenced)
            {
                if (s.OutsideFence)
                {
                    s.OutsideFence = false;
                    Alarm(t, AlarmType.GeofenceExit, false, "no approved area any more");
                }

                return;
            }

            double metresInside;
            GeoFenceCheck where = s.Token.Fence.Check(input.Fix.Latitude, input.Fix.Longitude, input.Fix.AccuracyM, out metresInside);
            if (where == GeoFenceCheck.Outside && !s.OutsideFence)
            {
                s.OutsideFence = true;
                Alarm(t, AlarmType.GeofenceExit, true, ((long)(-metresInside)).ToString() + " m outside the approved area");
            }
            else if (where == GeoFenceCheck.Inside && s.OutsideFence)
            {
                s.OutsideFence = false;
                Alarm(t, AlarmType.GeofenceExit, false, "back inside the approved area");
            }
        }

        /// <summary>The token's seal leaving the lock raises seal-removed (once); its return clears it.</summary>
        private static void SuperviseSealTag(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            s.SeenTag = input.SealTag;
            string bound = s.Token == null ? null : s.Token.SealTag;
            if (bound == null)
            {
                return;
            }

            bool present = input.SealTag == bound;
            if (!present && !s.SealMissing && input.SealTag != "?")
            {
                s.SealMissing = true;
                Alarm(t, AlarmType.SealRemoved, true, input.SealTag == null || input.SealTag.Length == 0 ? "the seal left the lock" : "another seal (" + input.SealTag + ") is in the lock");
            }
            else if (present && s.SealMissing)
            {
                s.SealMissing = false;
                Alarm(t, AlarmType.SealRemoved, false, "the seal is back in the lock");
            }
        }

        private static void SuperviseBattery(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            if (!s.LowBattery && input.BatteryPercent <= settings.LowBatteryPercent)
            {
                s.LowBattery = true;
                Alarm(t, AlarmType.LowBattery, true, input.BatteryPercent.ToString() + " %");
            }
            else if (s.LowBattery && input.BatteryPercent > settings.LowBatteryPercent + settings.BatteryHysteresisPercent)
            {
                s.LowBattery = false;
                Alarm(t, AlarmType.LowBattery, false, input.BatteryPercent.ToString() + " %");
            }
        }

        private static void Alarm(LockTransition t, AlarmType type, bool active, string detail)
        {
            AlarmBody alarm = new AlarmBody();
            alarm.Alarm = type;
            alarm.Active = active;
            alarm.Detail = detail;
            Emit(t, alarm, true);
        }

        private static void AfterBeforePhoto(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            bool needsVerdict = s.Token.Documents != null && s.Token.Documents.Length > 0;
            if (!needsVerdict)
            {
                Open(t, input, false);
                return;
            }

            if (input.Online)
            {
                Enter(s, LockMode.AwaitingVerdict, input);
                return;
            }

            OfflineOrRefuse(t, input, "offline and no offline allowance left", settings);
        }

        private static void ApplyVerdict(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            if (s.Mode != LockMode.AwaitingVerdict || input.AttemptId != s.AttemptId)
            {
                return; // a late verdict for an attempt that already ended
            }

            if (input.Verdict == DocumentVerdictKind.Ok)
            {
                s.DocumentId = input.DocumentId;
                s.Page = input.Page;
                Open(t, input, false);
                return;
            }

            string detail = WireNames.Verdicts[(int)input.Verdict];
            Refuse(t, input, RefusalReason.DocumentRejected, input.Detail == null ? detail : detail + ": " + input.Detail, settings);
        }

        private static void ApplyTimeouts(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            long inMode = input.UptimeMs - s.ModeSinceMs;
            if (s.Mode == LockMode.Unlocked && inMode >= settings.RelockMs)
            {
                Relock(t, RelockReason.Timeout);
                Enter(s, LockMode.Idle, input);
                Indicate(t, IndicatorPattern.Ready);
            }
            else if (s.Mode == LockMode.AwaitingVerdict && inMode >= settings.VerdictTimeoutMs)
            {
                OfflineOrRefuse(t, input, "no verdict within " + (settings.VerdictTimeoutMs / 1000).ToString() + " s", settings);
            }
            else if (s.Mode == LockMode.Checking && inMode >= settings.PhotoTimeoutMs)
            {
                Refuse(t, input, RefusalReason.CameraFailed, "no page photo within " + (settings.PhotoTimeoutMs / 1000).ToString() + " s", settings);
            }
        }

        private static void OfflineOrRefuse(LockTransition t, LockInput input, string detail, LockSettings settings)
        {
            if (t.State.OfflineRemaining > 0)
            {
                Open(t, input, true);
            }
            else
            {
                Refuse(t, input, RefusalReason.VerdictTimeout, detail, settings);
            }
        }

        /// <summary>Counts the use, persists it, records the opening, and only then opens.</summary>
        private static void Open(LockTransition t, LockInput input, bool offline)
        {
            LockState s = t.State;
            s.Remaining--;
            if (offline)
            {
                s.OfflineRemaining--;
            }

            s.UnlockedOffline = offline;
            Enter(s, LockMode.Unlocked, input);
            t.Add(DeviceEffectKind.Persist);

            // The record of the opening is on flash before the bolt moves: no opening without a trace.
            UnlockedBody unlocked = new UnlockedBody();
            unlocked.AttemptId = s.AttemptId;
            unlocked.TokenId = s.Token.Id;
            unlocked.Remaining = s.Remaining;
            unlocked.Offline = offline;
            unlocked.Fix = WireFix(input);
            Emit(t, unlocked, true);
            t.Add(DeviceEffectKind.Unlock);
            Indicate(t, IndicatorPattern.Unlocked);
        }

        private static void Stamped(LockTransition t, LockInput input)
        {
            LockState s = t.State;
            StampedBody stamped = new StampedBody();
            stamped.AttemptId = s.AttemptId;
            stamped.TokenId = s.Token == null ? "revoked" : s.Token.Id;
            stamped.DocumentId = s.DocumentId;
            stamped.Page = s.Page;
            stamped.BeforePhotoId = s.BeforePhotoId;
            stamped.Fix = WireFix(input);
            Emit(t, stamped, true);
            DeviceEffect after = t.Add(DeviceEffectKind.TakePhoto);
            after.Purpose = PhotoPurpose.After;
            after.AttemptId = s.AttemptId;
            Relock(t, RelockReason.Stamped);
            Enter(s, LockMode.Idle, input);
            Indicate(t, IndicatorPattern.Ready);
        }

        private static void Refuse(LockTransition t, LockInput input, RefusalReason reason, string detail, LockSettings settings)
        {
            LockState s = t.State;
            RefusedBody refused = new RefusedBody();
            refused.AttemptId = s.AttemptId;
            refused.Reason = reason;
            refused.Detail = detail;
            refused.TokenId = s.Token == null ? null : s.Token.Id;
            refused.Fix = WireFix(input);
            Emit(t, refused, true);
            if (s.Mode == LockMode.Checking || s.Mode == LockMode.AwaitingVerdict)
            {
                Enter(s, LockMode.Idle, input);
            }

            Indicate(t, IndicatorPattern.Refused);
            CountRefusal(t, input, settings);
        }

        private static void CountRefusal(LockTransition t, LockInput input, LockSettings settings)
        {
            LockState s = t.State;
            if (s.RefusalsInWindow == 0 || input.UptimeMs - s.RefusalWindowSinceMs > settings.RefusalWindowMs)
            {
                s.RefusalsInWindow = 0;
                s.RefusalWindowSinceMs = input.UptimeMs;
            }

            s.RefusalsInWindow++;
            if (s.RefusalsInWindow == settings.RepeatedRefusals)
            {
                Alarm(t, AlarmType.RepeatedRefusals, true, s.RefusalsInWindow.ToString() + " refusals within " + (settings.RefusalWindowMs / 60000).ToString() + " min");
            }
        }

        private static void Relock(LockTransition t, RelockReason reason)
        {
            t.Add(DeviceEffectKind.Lock);
            RelockedBody relocked = new RelockedBody();
            relocked.AttemptId = t.State.AttemptId == null ? "none" : t.State.AttemptId;
            relocked.Reason = reason;
            Emit(t, relocked, true);
        }

        private static void Enter(LockState s, LockMode mode, LockInput input)
        {
            s.Mode = mode;
            s.ModeSinceMs = input.UptimeMs;
        }

        private static void Emit(LockTransition t, MessageBody body, bool critical)
        {
            DeviceEffect effect = t.Add(DeviceEffectKind.Emit);
            effect.Body = body;
            effect.Critical = critical;
        }

        private static void Indicate(LockTransition t, IndicatorPattern pattern)
        {
            t.Add(DeviceEffectKind.Indicate).Pattern = pattern;
        }

        private static GeoFix WireFix(LockInput input)
        {
            return input.Fix == null ? null : input.Fix.ToWire();
        }
    }
}
