using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Tests.Cabinet;

/// <summary>The cabinet controller on fake hardware (three compartments), driven by signed cloud commands.</summary>
public class CabinetControllerTests
{
    private const string DeviceId = "cab-hq-01";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);

    internal sealed class Bench
    {
        public readonly FakePersistentStore Flash = new(1 << 22);
        public readonly FakeCloudLink Link = new();
        public readonly FakeClock Clock = new(Now);
        public readonly FakeCamera Camera = new();
        public readonly FakeClipRecorder Clips = new();
        public readonly FakeIndicator Indicator = new();
        public readonly FakeSwitch Tamper = new("tamper-case");
        public readonly FakeLockActuator[] Latches = [new(), new(), new()];
        public readonly FakeSwitch[] Doors = [new("door-1"), new("door-2"), new("door-3")];
        public readonly FakeSealTagReader[] Readers = [new(), new(), new()];
        public CabinetController Controller = null!;
        public readonly TestCloud Cloud;

        public Bench()
        {
            Cloud = new TestCloud(DeviceId, Key, Clock, Link);
            Readers[0].Present = "04A1B2C3";
            Readers[1].Present = "04D4E5F6";
            PowerOn();
            Controller.Register(1, "seal-company", "04A1B2C3");
            Controller.Register(2, "seal-finance", "04D4E5F6");
            Link.SetConnected(true);
        }

        /// <summary>(Re)creates the firmware over the same flash, as after a power cycle.</summary>
        public void PowerOn()
        {
            Controller?.Stop();
            foreach (FakeLockActuator latch in Latches)
            {
                latch.PowerLoss();
            }

            var identity = new DeviceIdentity(DeviceId, Key, 1);
            var queue = new OfflineQueue(Flash, 512, 64);
            queue.Load();
            var outbox = new Outbox(identity, queue, Link, Clock);
            var compartments = Enumerable.Range(0, 3).Select(i => new CompartmentHardware { Number = i + 1, Latch = Latches[i], Door = Doors[i], TagReader = Readers[i] }).ToArray();
            var hardware = new CabinetHardware { Compartments = compartments, Camera = Camera, ClipRecorder = Clips, Indicator = Indicator, Tamper = Tamper, Clock = Clock, Link = Link, Flash = Flash };
            Controller = new CabinetController(identity, hardware, new CompartmentSettings(), outbox, new CommandInbox(identity, Flash, Clock, 5_000));
            Controller.Boot("test", "power-on", 1);
        }

        public string CabinetToken(int compartment, string seal, string jti = "ctok-1", long lifetimeSeconds = 120) => UseTokenWriter.Write(new UseToken
        {
            Id = jti, Audience = DeviceId, Subject = "user-li.na", IssuedAt = Clock.UtcNowMs / 1000 - 5, NotBefore = Clock.UtcNowMs / 1000 - 5, Expires = Clock.UtcNowMs / 1000 + lifetimeSeconds,
            SealId = seal, ApplicationId = "app-9", Uses = 1, Mode = UseToken.ModeCabinet, Compartment = compartment, Documents = [],
        }, Key, "v1");

        public string Dispense(int compartment, string seal, string? token = null) =>
            Cloud.Send(new DispenseBody { Compartment = compartment, SealId = seal, ExpectedTag = compartment == 1 ? "04A1B2C3" : "04D4E5F6", Token = token ?? CabinetToken(compartment, seal) });

        public void Door(int compartment, bool open)
        {
            Doors[compartment - 1].Set(open, Clock.UptimeMs);
        }

        public void Tag(int compartment, string tag)
        {
            Readers[compartment - 1].Present = tag;
            Controller.Tick();
        }

        public CompartmentState State(int compartment) => Controller.Compartments[compartment - 1];

        public CommandResultBody Result(string commandId) => Cloud.Bodies<CommandResultBody>().Single(r => r.CommandId == commandId);
    }

    [Fact]
    public void A_collection_opens_only_the_tokens_compartment_photographs_it_and_relatches_when_the_door_closes()
    {
        var bench = new Bench();
        string id = bench.Dispense(1, "seal-company");

        Assert.True(bench.Result(id).Ok);
        Assert.True(bench.Latches[0].IsUnlocked);
        Assert.False(bench.Latches[1].IsUnlocked);
        Assert.Equal(CompartmentMode.Dispensing, bench.State(1).Mode);
        PhotoManifestBody photo = bench.Cloud.Bodies<PhotoManifestBody>().Single();
        Assert.Equal(PhotoPurpose.Handover, photo.Purpose);

        bench.Door(1, open: true);
        bench.Tag(1, TagReading.None);
        DispensedBody dispensed = bench.Cloud.Bodies<DispensedBody>().Single();
        Assert.Equal("seal-company", dispensed.SealId);
        Assert.Equal("ctok-1", dispensed.TokenId);
        Assert.Equal(photo.PhotoId, dispensed.PhotoId);
        Assert.Equal(CompartmentMode.Out, bench.State(1).Mode);

        bench.Door(1, open: false);
        Assert.False(bench.Latches[0].IsUnlocked);
        Assert.Empty(bench.Cloud.Bodies<AlarmBody>());
    }

    [Fact]
    public void A_cabinet_token_opens_once_even_after_a_reboot()
    {
        var bench = new Bench();
        string token = bench.CabinetToken(1, "seal-company");
        bench.Dispense(1, "seal-company", token);
        bench.Door(1, true);
        bench.Door(1, false); // opened, seal not taken: back to locked, token spent
        Assert.Equal(CompartmentMode.Locked, bench.State(1).Mode);

        string again = bench.Dispense(1, "seal-company", token);
        Assert.Equal(RefusalReason.ReplayedCommand, bench.Result(again).Reason);

        bench.PowerOn();
        string afterReboot = bench.Dispense(1, "seal-company", token);
        Assert.Equal(RefusalReason.ReplayedCommand, bench.Result(afterReboot).Reason);
        Assert.Equal(1, bench.Latches[0].UnlockCount);
    }

    [Fact]
    public void Tokens_for_another_compartment_seal_or_device_and_expired_ones_are_refused_without_moving_a_latch()
    {
        var bench = new Bench();
        Assert.Equal(RefusalReason.WrongCompartment, bench.Result(bench.Dispense(2, "seal-finance", bench.CabinetToken(1, "seal-company", "t1"))).Reason);
        Assert.Equal(RefusalReason.WrongSeal, bench.Result(bench.Dispense(1, "seal-company", bench.CabinetToken(1, "seal-finance", "t2"))).Reason);
        Assert.Equal(RefusalReason.WrongCompartment, bench.Result(bench.Dispense(7, "seal-company", bench.CabinetToken(7, "seal-company", "t3"))).Reason);

        byte[] otherKey = DeviceKeys.Derive(Master, "cab-other-01", 1);
        string foreign = UseTokenWriter.Write(new UseToken
        {
            Id = "t4", Audience = "cab-other-01", Subject = "x", IssuedAt = Now / 1000, NotBefore = Now / 1000, Expires = Now / 1000 + 60,
            SealId = "seal-company", ApplicationId = "a", Uses = 1, Mode = UseToken.ModeCabinet, Compartment = 1, Documents = [],
        }, otherKey, "v1");
        Assert.NotEqual(RefusalReason.Unknown, bench.Result(bench.Dispense(1, "seal-company", foreign)).Reason);

        string shortLived = bench.CabinetToken(1, "seal-company", "t5", lifetimeSeconds: 30);
        bench.Clock.Advance(200_000); // past expiry plus the verifier's clock-skew allowance
        Assert.Equal(RefusalReason.TokenExpired, bench.Result(bench.Dispense(1, "seal-company", shortLived)).Reason);

        Assert.All(bench.Latches, l => Assert.Equal(0, l.UnlockCount));
        Assert.Equal(5, bench.Cloud.Bodies<RefusedBody>().Count());
    }

    [Fact]
    public void A_return_takes_back_only_the_right_seal_and_a_wrong_one_raises_an_alarm_until_corrected()
    {
        var bench = new Bench();
        bench.Dispense(1, "seal-company");
        bench.Door(1, true);
        bench.Tag(1, TagReading.None);
        bench.Door(1, false);

        string ret = bench.Cloud.Send(new AcceptReturnBody { Compartment = 1, SealId = "seal-company", ExpectedTag = "04A1B2C3" });
        Assert.True(bench.Result(ret).Ok);
        Assert.True(bench.Latches[0].IsUnlocked);
        Assert.Contains(bench.Cloud.Bodies<PhotoManifestBody>(), p => p.Purpose == PhotoPurpose.Return);

        bench.Door(1, true);
        bench.Tag(1, "04FFFFFF"); // someone puts another seal in
        WrongSealBody wrong = bench.Cloud.Bodies<WrongSealBody>().Single();
        Assert.Equal("04FFFFFF", wrong.SeenTag);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.WrongSeal && a.Active);
        Assert.True(bench.Latches[0].IsUnlocked); // stays open for correction

        bench.Tag(1, TagReading.None);
        bench.Tag(1, "04A1B2C3");
        Assert.Single(bench.Cloud.Bodies<ReturnedBody>());
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.WrongSeal && !a.Active);
        bench.Door(1, false);
        Assert.False(bench.Latches[0].IsUnlocked);
        Assert.Equal(CompartmentMode.Locked, bench.State(1).Mode);
    }

    [Fact]
    public void Forced_doors_removed_seals_unreadable_tags_and_doors_held_open_raise_alarms()
    {
        var bench = new Bench();
        bench.Door(2, true);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.ForcedDoor && a.Compartment == 2);
        bench.Tag(2, TagReading.None);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.SealRemoved && a.Compartment == 2);
        Assert.Equal(CompartmentMode.Fault, bench.State(2).Mode);

        bench.Tag(1, TagReading.Unreadable);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.TagUnreadable && a.Compartment == 1);

        bench.Clock.Advance(new CompartmentSettings().DoorAlarmMs);
        bench.Controller.Tick();
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.DoorHeldOpen && a.Compartment == 2 && a.Active);
    }

    [Fact]
    public void A_seal_taken_while_the_power_was_off_is_reported_at_boot()
    {
        var bench = new Bench();
        bench.Link.SetConnected(false);
        bench.Controller.Stop();
        bench.Readers[1].Present = TagReading.None;
        bench.PowerOn();
        bench.Link.SetConnected(true);
        Assert.Contains(bench.Cloud.Bodies<SealRemovedBody>(), r => r.Compartment == 2);
    }

    [Fact]
    public void A_disabled_cabinet_refuses_dispenses_and_returns_and_a_released_compartment_relatches()
    {
        var bench = new Bench();
        bench.Dispense(1, "seal-company", bench.CabinetToken(1, "seal-company", "early"));
        Assert.True(bench.Latches[0].IsUnlocked);

        bench.Cloud.Send(new SetStateBody { Enabled = false, Version = 3 });
        Assert.False(bench.Latches[0].IsUnlocked);
        Assert.Equal(CompartmentMode.Locked, bench.State(1).Mode);
        StateAppliedBody applied = bench.Cloud.Bodies<StateAppliedBody>().Last();
        Assert.False(applied.Enabled);
        Assert.Equal(3, applied.Version);

        Assert.Equal(RefusalReason.Disabled, bench.Result(bench.Dispense(2, "seal-finance")).Reason);
        bench.PowerOn(); // disable survives a reboot
        Assert.False(bench.Controller.Enabled);
        Assert.Equal(RefusalReason.Disabled, bench.Result(bench.Dispense(2, "seal-finance", bench.CabinetToken(2, "seal-finance", "t9"))).Reason);

        bench.Cloud.Send(new DesiredStateBody { Enabled = true, Version = 2 }); // older: ignored
        Assert.False(bench.Controller.Enabled);
        bench.Cloud.Send(new DesiredStateBody { Enabled = true, Version = 4 });
        Assert.True(bench.Controller.Enabled);
        Assert.True(bench.Result(bench.Dispense(2, "seal-finance", bench.CabinetToken(2, "seal-finance", "t10"))).Ok);
    }

    [Fact]
    public void An_open_case_refuses_dispenses_and_raises_a_tamper_alarm()
    {
        var bench = new Bench();
        bench.Tamper.Set(true, bench.Clock.UptimeMs);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.Tamper && a.Active);
        Assert.Equal(RefusalReason.Tampered, bench.Result(bench.Dispense(1, "seal-company")).Reason);
        Assert.Equal(0, bench.Latches[0].UnlockCount);
    }

    [Fact]
    public void A_forged_dispense_is_refused_and_raises_a_forged_message_alarm()
    {
        var bench = new Bench();
        byte[] wrongKey = DeviceKeys.Derive(Master, DeviceId, 2);
        bench.Cloud.Send(new DispenseBody { Compartment = 1, SealId = "seal-company", ExpectedTag = "04A1B2C3", Token = bench.CabinetToken(1, "seal-company") }, signingKey: wrongKey);
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.ForgedMessage);
        Assert.Equal(0, bench.Latches[0].UnlockCount);
    }

    [Fact]
    public void An_empty_compartment_takes_the_seal_a_keeper_binds_into_it()
    {
        var bench = new Bench();
        string id = bench.Cloud.Send(new AcceptReturnBody { Compartment = 3, SealId = "seal-contract", ExpectedTag = "04010203" });
        Assert.True(bench.Result(id).Ok);
        bench.Door(3, true);
        bench.Tag(3, "04010203");
        bench.Door(3, false);
        Assert.Equal(CompartmentMode.Locked, bench.State(3).Mode);
        Assert.Equal("seal-contract", bench.State(3).SealId);
        bench.PowerOn();
        Assert.Equal("seal-contract", bench.State(3).SealId);
    }
}
