using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Tests.Cabinet;

public class CompartmentMachineTests
{
    private const string SealTag = "04A1B2C3";
    private static readonly CompartmentSettings Settings = new();

    private static UseToken CabinetToken(int compartment = 3, string seal = "seal-finance-01", string jti = "cab-tok-1") => new()
    {
        Id = jti, Audience = "cab-hq-01", Subject = "user-li.na", SealId = seal, ApplicationId = "app-1",
        Uses = 1, Mode = UseToken.ModeCabinet, Compartment = compartment, Documents = Array.Empty<TokenDocument>(),
    };

    private sealed class Harness
    {
        public CompartmentState State = new() { Number = 3, Mode = CompartmentMode.Locked, SealId = "seal-finance-01", ExpectedTag = SealTag, SeenTag = SealTag };
        public List<DeviceEffect> Effects = new();
        public long Uptime = 1_000;

        public void Step(CompartmentInputKind kind, Action<CompartmentInput>? set = null)
        {
            CompartmentInput input = CompartmentInput.Of(kind, Uptime);
            set?.Invoke(input);
            CompartmentTransition t = CompartmentMachine.Step(State, input, Settings);
            State = t.State;
            Effects = t.Effects.Cast<DeviceEffect>().ToList();
        }

        public void Dispense(UseToken token, bool used = false, bool enabled = true) =>
            Step(CompartmentInputKind.Dispense, i => { i.Token = token; i.SealId = token.SealId; i.TokenAlreadyUsed = used; i.Enabled = enabled; i.CommandId = "cmd-1"; });

        public void Door(bool open) => Step(CompartmentInputKind.DoorChanged, i => i.DoorOpen = open);

        public void See(string tag) => Step(CompartmentInputKind.TagRead, i => i.Tag = tag);

        public IEnumerable<MessageBody> Emitted => Effects.Where(e => e.Kind == DeviceEffectKind.Emit).Select(e => e.Body);

        public bool Did(DeviceEffectKind kind) => Effects.Any(e => e.Kind == kind);

        public AlarmBody Alarm => Emitted.OfType<AlarmBody>().Single();
    }

    [Fact]
    public void A_verified_collection_opens_photographs_sees_the_tag_leave_and_relatches()
    {
        var h = new Harness();
        h.Dispense(CabinetToken());
        Assert.Equal(CompartmentMode.Dispensing, h.State.Mode);
        var kinds = h.Effects.Select(e => e.Kind).ToList();
        Assert.True(kinds.IndexOf(DeviceEffectKind.Persist) < kinds.IndexOf(DeviceEffectKind.Unlock));
        Assert.Contains(h.Effects, e => e.Kind == DeviceEffectKind.TakePhoto && e.Purpose == PhotoPurpose.Handover);
        Assert.True(h.Emitted.OfType<CommandResultBody>().Single().Ok);

        h.Step(CompartmentInputKind.PhotoTaken, i => i.PhotoId = "ph-handover-1");
        h.Door(true);
        Assert.False(h.Emitted.OfType<DoorBody>().Single().Forced);
        h.See("");
        DispensedBody dispensed = h.Emitted.OfType<DispensedBody>().Single();
        Assert.Equal((3, "seal-finance-01", SealTag, "cab-tok-1", "ph-handover-1"), (dispensed.Compartment, dispensed.SealId, dispensed.TagId, dispensed.TokenId, dispensed.PhotoId));
        Assert.Equal(CompartmentMode.Out, h.State.Mode);
        h.Door(false);
        Assert.True(h.Did(DeviceEffectKind.Lock));
        Assert.False(h.State.Released);
    }

    [Fact]
    public void Only_the_right_unused_token_for_this_compartment_and_seal_opens_it()
    {
        var h = new Harness();
        h.Dispense(CabinetToken(compartment: 4));
        Assert.Equal(RefusalReason.WrongCompartment, h.Emitted.OfType<RefusedBody>().Single().Reason);
        h.Dispense(CabinetToken(seal: "seal-company-01"));
        Assert.Equal(RefusalReason.WrongSeal, h.Emitted.OfType<RefusedBody>().Single().Reason);
        h.Dispense(CabinetToken(), used: true);
        Assert.Equal(RefusalReason.ReplayedCommand, h.Emitted.OfType<RefusedBody>().Single().Reason);
        h.Dispense(CabinetToken(), enabled: false);
        Assert.Equal(RefusalReason.Disabled, h.Emitted.OfType<RefusedBody>().Single().Reason);
        var lockToken = CabinetToken();
        lockToken.Mode = UseToken.ModeLock;
        h.Dispense(lockToken);
        Assert.Equal(RefusalReason.TokenInvalid, h.Emitted.OfType<RefusedBody>().Single().Reason);
        Assert.False(h.Emitted.OfType<CommandResultBody>().Single().Ok);
        Assert.Equal(CompartmentMode.Locked, h.State.Mode);
        Assert.False(h.Did(DeviceEffectKind.Unlock));
    }

    [Fact]
    public void A_wrong_seal_on_return_raises_an_alarm_and_the_compartment_stays_open_for_correction()
    {
        var h = new Harness();
        h.Dispense(CabinetToken());
        h.Door(true);
        h.See("");
        h.Door(false);

        h.Step(CompartmentInputKind.AcceptReturn, i => i.CommandId = "cmd-2");
        Assert.Equal(CompartmentMode.Returning, h.State.Mode);
        Assert.True(h.Did(DeviceEffectKind.Unlock));
        h.Door(true);
        h.See("0499FFEE");
        Assert.Equal("0499FFEE", h.Emitted.OfType<WrongSealBody>().Single().SeenTag);
        Assert.Equal(AlarmType.WrongSeal, h.Alarm.Alarm);
        Assert.True(h.Alarm.Active);
        Assert.False(h.Did(DeviceEffectKind.Lock));
        Assert.Equal(CompartmentMode.Returning, h.State.Mode);

        h.See("");
        h.See(SealTag);
        Assert.Equal(SealTag, h.Emitted.OfType<ReturnedBody>().Single().TagId);
        Assert.Equal(CompartmentMode.Locked, h.State.Mode);
        h.Door(false);
        Assert.True(h.Did(DeviceEffectKind.Lock));
    }

    [Fact]
    public void Shutting_the_door_on_a_wrong_seal_latches_and_faults()
    {
        var h = new Harness();
        h.Dispense(CabinetToken());
        h.Door(true);
        h.See("");
        h.Door(false);
        h.Step(CompartmentInputKind.AcceptReturn);
        h.Door(true);
        h.See("0499FFEE");
        h.Door(false);
        Assert.Equal(CompartmentMode.Fault, h.State.Mode);
        Assert.True(h.Did(DeviceEffectKind.Lock));
    }

    [Fact]
    public void Forced_doors_removed_seals_held_doors_and_unreadable_tags_raise_alarms()
    {
        var h = new Harness();
        h.Door(true);
        Assert.True(h.Emitted.OfType<DoorBody>().Single().Forced);
        Assert.Equal(AlarmType.ForcedDoor, h.Alarm.Alarm);

        h.See("");
        Assert.Equal(SealTag, h.Emitted.OfType<SealRemovedBody>().Single().TagId);
        Assert.Equal(AlarmType.SealRemoved, h.Alarm.Alarm);
        Assert.Equal(CompartmentMode.Fault, h.State.Mode);

        h.Uptime += Settings.DoorAlarmMs;
        h.Step(CompartmentInputKind.Tick);
        Assert.Equal(AlarmType.DoorHeldOpen, h.Alarm.Alarm);
        h.Step(CompartmentInputKind.Tick);
        Assert.Empty(h.Emitted); // raised once
        h.Door(false);
        Assert.False(h.Emitted.OfType<AlarmBody>().Single().Active);
        Assert.Equal(60, h.Emitted.OfType<DoorBody>().Single().HeldOpenSeconds);

        h.See("?");
        Assert.Equal(AlarmType.TagUnreadable, h.Alarm.Alarm);
    }

    [Fact]
    public void A_released_compartment_nobody_opens_relatches_and_one_opened_but_not_emptied_too()
    {
        var h = new Harness();
        h.Dispense(CabinetToken());
        h.Uptime += Settings.CollectTimeoutMs;
        h.Step(CompartmentInputKind.Tick);
        Assert.True(h.Did(DeviceEffectKind.Lock));
        Assert.Equal(CompartmentMode.Locked, h.State.Mode);

        h.Dispense(CabinetToken(jti: "cab-tok-2"));
        h.Door(true);
        h.Door(false);
        Assert.True(h.Did(DeviceEffectKind.Lock));
        Assert.Equal(CompartmentMode.Locked, h.State.Mode);
    }
}
