using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Tests.Lock;

public class LockMachineTests
{
    private const long Now = 1_800_000_000_000;
    private static readonly LockSettings Settings = new();

    private static UseToken Token(int uses = 2, int offline = 0, bool docs = true, GeoFence? fence = null, string jti = "tok-1") => new()
    {
        Id = jti, Audience = "lock-0001", Subject = "u", IssuedAt = (Now / 1000) - 60, NotBefore = (Now / 1000) - 60, Expires = (Now / 1000) + 3600,
        SealId = "seal-1", ApplicationId = "app-1", Uses = uses, OfflineUses = offline, Mode = UseToken.ModeLock,
        Documents = docs ? new[] { new TokenDocument("doc-1", 2) } : Array.Empty<TokenDocument>(), Fence = fence,
    };

    private static GnssFix FixAt(double lat, double lon, double accuracy = 5) => new()
    {
        UtcMs = Now, Valid = true, Latitude = lat, Longitude = lon, AccuracyM = accuracy, Quality = 1, Satellites = 9,
        Hdop = 1, AltitudeMsl = 4, SpeedMs = 0, CourseDeg = 0,
    };

    /// <summary>Drives the machine like the controller does, keeping the state between steps.</summary>
    private sealed class Harness
    {
        public LockState State = new() { Mode = LockMode.Idle, Enabled = true, DesiredVersion = 1 };
        public List<DeviceEffect> Effects = new();
        public long Uptime = 1_000;
        public long Clock = Now;
        public bool Online = true;
        public bool CanRecord = true;
        public GnssFix? Fix = FixAt(31.2304, 121.4737);

        public LockTransition Step(LockInputKind kind, Action<LockInput>? set = null)
        {
            LockInput input = LockInput.Of(kind, Clock, Uptime);
            input.Online = Online;
            input.CanRecord = CanRecord;
            input.Fix = Fix;
            input.FixUptimeMs = Uptime;
            set?.Invoke(input);
            LockTransition t = LockMachine.Step(State, input, Settings);
            State = t.State;
            Effects = t.Effects.Cast<DeviceEffect>().ToList();
            return t;
        }

        public void Load(UseToken token) => Step(LockInputKind.TokenLoaded, i => i.Token = token);

        public void Press() => Step(LockInputKind.ButtonPressed);

        public void Photo() => Step(LockInputKind.BeforePhotoTaken, i => { i.AttemptId = State.AttemptId; i.PhotoId = "ph-" + State.AttemptId; });

        public void Verdict(DocumentVerdictKind verdict) => Step(LockInputKind.Verdict, i => { i.AttemptId = State.AttemptId; i.Verdict = verdict; i.DocumentId = "doc-1"; i.Page = 1; });

        public IEnumerable<MessageBody> Emitted => Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body);

        public RefusedBody Refusal => Emitted.OfType<RefusedBody>().Single();
    }

    [Fact]
    public void A_stamp_with_a_document_verdict_counts_the_use_before_opening()
    {
        var h = new Harness();
        h.Load(Token());
        h.Press();
        Assert.Equal(LockMode.Checking, h.State.Mode);
        DeviceEffect photo = h.Effects.Single(e => e.Kind == DeviceEffectKind.TakePhoto);
        Assert.Equal(PhotoPurpose.Before, photo.Purpose);

        h.Photo();
        Assert.Equal(LockMode.AwaitingVerdict, h.State.Mode);
        Assert.DoesNotContain(h.Effects, e => e.Kind == DeviceEffectKind.Unlock);

        h.Verdict(DocumentVerdictKind.Ok);
        Assert.Equal(LockMode.Unlocked, h.State.Mode);
        Assert.Equal(1, h.State.Remaining);
        var kinds = h.Effects.Select(e => e.Kind).ToList();
        Assert.True(kinds.IndexOf(DeviceEffectKind.Persist) < kinds.IndexOf(DeviceEffectKind.Unlock), "the count must be on flash before the bolt moves");
        Assert.Equal(1, h.Emitted.OfType<UnlockedBody>().Single().Remaining);

        h.Step(LockInputKind.StampPressed, i => i.Active = true);
        StampedBody stamped = h.Emitted.OfType<StampedBody>().Single();
        Assert.Equal(("doc-1", 1, "ph-att-1"), (stamped.DocumentId, stamped.Page, stamped.BeforePhotoId));
        Assert.NotNull(stamped.Fix);
        Assert.Contains(h.Effects, e => e.Kind == DeviceEffectKind.Lock);
        Assert.Contains(h.Effects, e => e.Kind == DeviceEffectKind.TakePhoto && e.Purpose == PhotoPurpose.After);
        Assert.Equal(RelockReason.Stamped, h.Emitted.OfType<RelockedBody>().Single().Reason);
        Assert.Equal(LockMode.Idle, h.State.Mode);
    }

    [Fact]
    public void Without_documents_the_lock_opens_after_the_photo()
    {
        var h = new Harness();
        h.Load(Token(docs: false));
        h.Press();
        h.Photo();
        Assert.Equal(LockMode.Unlocked, h.State.Mode);
    }

    [Fact]
    public void Refusals_carry_their_reason_and_leave_the_count_alone()
    {
        var h = new Harness();
        h.Press();
        Assert.Equal(RefusalReason.NoToken, h.Refusal.Reason);

        h.Load(Token(uses: 1, docs: false));
        h.Clock = 0;
        h.Press();
        Assert.Equal(RefusalReason.ClockNotSet, h.Refusal.Reason);
        h.Clock = Now + 3_600_000;
        h.Press();
        Assert.Equal(RefusalReason.TokenExpired, h.Refusal.Reason);
        h.Clock = Now - 120_000;
        h.Press();
        Assert.Equal(RefusalReason.TokenNotYetValid, h.Refusal.Reason);
        h.Clock = Now;
        h.CanRecord = false;
        h.Press();
        Assert.Equal(RefusalReason.QueueFull, h.Refusal.Reason);
        h.CanRecord = true;
        Assert.Equal(1, h.State.Remaining);

        h.Press();
        h.Photo();
        h.Step(LockInputKind.StampPressed, i => i.Active = true);
        h.Press();
        Assert.Equal(RefusalReason.UsesExhausted, h.Refusal.Reason);
        Assert.Equal(LockMode.Idle, h.State.Mode);
    }

    [Fact]
    public void The_geofence_is_checked_with_the_fix_accuracy()
    {
        var fence = new GeoCircle(312304560, 1214737010, 500);
        var h = new Harness();
        h.Load(Token(fence: fence, docs: false));

        h.Fix = FixAt(31.2304 + (800 / 111_195.0), 121.4737);
        h.Press();
        Assert.Equal(RefusalReason.OutsideGeofence, h.Refusal.Reason);
        Assert.Matches("^29[0-9] m outside", h.Refusal.Detail);

        h.Fix = FixAt(31.2304 + (400 / 111_195.0), 121.4737, accuracy: 200);
        h.Press();
        Assert.Equal(RefusalReason.FixNotPrecise, h.Refusal.Reason);

        h.Fix = null;
        h.Press();
        Assert.Equal(RefusalReason.NoFix, h.Refusal.Reason);

        h.Fix = FixAt(31.2304, 121.4737);
        h.Press();
        Assert.Equal(LockMode.Checking, h.State.Mode);
    }

    [Fact]
    public void Carrying_the_lock_out_of_its_area_raises_geofence_exit_once_and_coming_back_clears_it()
    {
        var fence = new GeoCircle(312304560, 1214737010, 500);
        var h = new Harness();
        h.Load(Token(fence: fence, docs: false));
        List<AlarmBody> Alarms() => h.Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body).OfType<AlarmBody>().ToList();

        h.Fix = FixAt(31.2304 + (2_000 / 111_195.0), 121.4737);
        h.Step(LockInputKind.FixAccepted);
        AlarmBody exit = Alarms().Single();
        Assert.Equal(AlarmType.GeofenceExit, exit.Alarm);
        Assert.True(exit.Active);
        Assert.Matches("^1[0-9]{3} m outside", exit.Detail);

        h.Step(LockInputKind.FixAccepted); // still outside: no second alarm
        Assert.Empty(Alarms());
        h.Fix = FixAt(31.2304 + (450 / 111_195.0), 121.4737, accuracy: 200); // can't tell: no change
        h.Step(LockInputKind.FixAccepted);
        Assert.Empty(Alarms());
        Assert.True(h.State.OutsideFence);

        h.Fix = FixAt(31.2304, 121.4737);
        h.Step(LockInputKind.FixAccepted);
        Assert.False(Alarms().Single().Active);
        Assert.False(h.State.OutsideFence);
    }

    [Fact]
    public void Low_battery_alarms_at_the_threshold_and_clears_only_above_the_hysteresis()
    {
        var h = new Harness();
        List<AlarmBody> Alarms() => h.Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body).OfType<AlarmBody>().ToList();
        h.Step(LockInputKind.Battery, i => i.BatteryPercent = 40);
        Assert.Empty(Alarms());
        h.Step(LockInputKind.Battery, i => i.BatteryPercent = Settings.LowBatteryPercent);
        Assert.True(Alarms().Single(a => a.Alarm == AlarmType.LowBattery).Active);
        h.Step(LockInputKind.Battery, i => i.BatteryPercent = Settings.LowBatteryPercent + Settings.BatteryHysteresisPercent);
        Assert.Empty(Alarms());
        h.Step(LockInputKind.Battery, i => i.BatteryPercent = Settings.LowBatteryPercent + Settings.BatteryHysteresisPercent + 1);
        Assert.False(Alarms().Single().Active);
    }

    [Fact]
    public void Repeated_refusals_within_the_window_raise_one_alarm()
    {
        var h = new Harness();
        int alarms = 0;
        for (int i = 0; i < Settings.RepeatedRefusals * 2 - 1; i++)
        {
            h.Press(); // no token: refused
            alarms += h.Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body).OfType<AlarmBody>().Count(a => a.Alarm == AlarmType.RepeatedRefusals);
            h.Uptime += 1_000;
        }

        Assert.Equal(1, alarms);
        h.Uptime += Settings.RefusalWindowMs + 1;
        for (int i = 0; i < Settings.RepeatedRefusals - 1; i++)
        {
            h.Press();
            Assert.DoesNotContain(h.Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body), b => b is AlarmBody);
        }
    }

    [Fact]
    public void A_wrong_document_is_refused_and_a_late_verdict_is_ignored()
    {
        var h = new Harness();
        h.Load(Token());
        h.Press();
        h.Photo();
        string attempt = h.State.AttemptId;
        h.Verdict(DocumentVerdictKind.WrongPage);
        Assert.Equal(RefusalReason.DocumentRejected, h.Refusal.Reason);
        Assert.Contains("wrong-page", h.Refusal.Detail);
        Assert.Equal(LockMode.Idle, h.State.Mode);

        h.Step(LockInputKind.Verdict, i => { i.AttemptId = attempt; i.Verdict = DocumentVerdictKind.Ok; });
        Assert.Equal(LockMode.Idle, h.State.Mode);
        Assert.Empty(h.Effects);
        Assert.Equal(2, h.State.Remaining);
    }

    [Fact]
    public void Without_a_verdict_only_the_offline_allowance_opens()
    {
        var h = new Harness();
        h.Load(Token(uses: 3, offline: 1));
        h.Press();
        h.Photo();
        h.Uptime += Settings.VerdictTimeoutMs;
        h.Step(LockInputKind.Tick);
        Assert.Equal(LockMode.Unlocked, h.State.Mode);
        Assert.True(h.Emitted.OfType<UnlockedBody>().Single().Offline);
        Assert.Equal((2, 0), (h.State.Remaining, h.State.OfflineRemaining));

        h.Uptime += Settings.RelockMs;
        h.Step(LockInputKind.Tick);
        Assert.Equal(RelockReason.Timeout, h.Emitted.OfType<RelockedBody>().Single().Reason);
        Assert.Equal(LockMode.Idle, h.State.Mode);

        h.Online = false;
        h.Press();
        h.Photo();
        Assert.Equal(RefusalReason.VerdictTimeout, h.Refusal.Reason);
        Assert.Equal(2, h.State.Remaining);
    }

    [Fact]
    public void Remote_disable_closes_an_open_lock_and_only_newer_states_apply()
    {
        var h = new Harness();
        h.Load(Token(docs: false));
        h.Press();
        h.Photo();
        Assert.Equal(LockMode.Unlocked, h.State.Mode);

        h.Step(LockInputKind.DesiredState, i => { i.Enabled = false; i.Version = 2; });
        Assert.Equal(LockMode.Disabled, h.State.Mode);
        Assert.Contains(h.Effects, e => e.Kind == DeviceEffectKind.Lock);
        Assert.Equal(RelockReason.Disabled, h.Emitted.OfType<RelockedBody>().Single().Reason);
        Assert.False(h.Emitted.OfType<StateAppliedBody>().Single().Enabled);

        h.Step(LockInputKind.DesiredState, i => { i.Enabled = true; i.Version = 1; }); // stale, e.g. replayed
        Assert.Equal(LockMode.Disabled, h.State.Mode);
        h.Press();
        Assert.Equal(RefusalReason.Disabled, h.Refusal.Reason);

        h.Step(LockInputKind.DesiredState, i => { i.Enabled = true; i.Version = 3; });
        Assert.Equal(LockMode.Idle, h.State.Mode);
    }

    [Fact]
    public void Tamper_closes_the_lock_raises_an_alarm_and_blocks_until_cleared()
    {
        var h = new Harness();
        h.Load(Token(docs: false));
        h.Press();
        h.Photo();
        h.Step(LockInputKind.TamperChanged, i => i.Active = true);
        Assert.Equal(LockMode.Tampered, h.State.Mode);
        Assert.Contains(h.Effects, e => e.Kind == DeviceEffectKind.Lock);
        Assert.Equal(AlarmType.Tamper, h.Emitted.OfType<AlarmBody>().Single().Alarm);
        h.Press();
        Assert.Equal(RefusalReason.Tampered, h.Refusal.Reason);
        h.Step(LockInputKind.TamperChanged, i => i.Active = false);
        Assert.Equal(LockMode.Idle, h.State.Mode);
    }

    [Fact]
    public void Reloading_the_same_token_does_not_refill_and_revocation_removes_it()
    {
        var h = new Harness();
        h.Load(Token(uses: 2, docs: false));
        h.Press();
        h.Photo();
        h.Step(LockInputKind.StampPressed, i => i.Active = true);
        h.Load(Token(uses: 2, docs: false)); // retained desired state re-delivered after reconnect
        Assert.Equal(1, h.State.Remaining);
        h.Load(Token(uses: 5, docs: false, jti: "tok-2"));
        Assert.Equal(5, h.State.Remaining);
        h.Step(LockInputKind.TokenRevoked, i => i.TokenId = "tok-2");
        Assert.Null(h.State.Token);
        h.Press();
        Assert.Equal(RefusalReason.NoToken, h.Refusal.Reason);
    }

    /// <summary>
    /// Cuts the power before every effect of every transition of a run that uses a 3-stamp token:
    /// after each reboot (persisted fields only, bolt closed) the run goes on. However the cuts
    /// fall, the bolt never opens more than 3 times.
    /// </summary>
    [Fact]
    public void Power_cut_before_any_effect_never_yields_an_extra_unlock()
    {
        const int uses = 3;
        (int unlocks, int effects) clean = RunWithCut(uses, cutAt: -1);
        Assert.Equal(uses, clean.unlocks);
        for (int cutAt = 0; cutAt <= clean.effects; cutAt++)
        {
            (int unlocks, _) = RunWithCut(uses, cutAt);
            Assert.True(unlocks <= uses, $"cut before effect {cutAt}: {unlocks} unlocks from a {uses}-use token");
        }
    }

    private static (int Unlocks, int Effects) RunWithCut(int uses, int cutAt)
    {
        var h = new Harness();
        LockState persisted = h.State.Clone();
        int executed = 0, unlocks = 0;

        void Run(LockTransition t)
        {
            foreach (DeviceEffect effect in t.Effects)
            {
                if (executed++ == cutAt)
                {
                    // Power fails here: this and the transition's later effects never happen; on
                    // reboot only what was persisted survives and the fail-secure bolt is closed.
                    h.State = persisted.Clone();
                    h.State.Mode = h.State.Enabled ? LockMode.Idle : LockMode.Disabled;
                    return;
                }

                if (effect.Kind == DeviceEffectKind.Persist)
                {
                    persisted = t.State.Clone();
                }
                else if (effect.Kind == DeviceEffectKind.Unlock)
                {
                    unlocks++;
                }
            }
        }

        Run(h.Step(LockInputKind.TokenLoaded, i => i.Token = Token(uses: uses, docs: false)));
        for (int attempt = 0; attempt < uses + 3; attempt++)
        {
            Run(h.Step(LockInputKind.ButtonPressed));
            if (h.State.Mode == LockMode.Checking)
            {
                Run(h.Step(LockInputKind.BeforePhotoTaken, i => { i.AttemptId = h.State.AttemptId; i.PhotoId = "p"; }));
            }

            if (h.State.Mode == LockMode.Unlocked)
            {
                Run(h.Step(LockInputKind.StampPressed, i => i.Active = true));
            }
        }

        return (unlocks, executed);
    }
}
