using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Tests.Lock;

/// <summary>The lock controller on fake hardware, driven by signed cloud messages as the cloud would send them.</summary>
public class LockControllerTests
{
    private const string DeviceId = "lock-0001";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);

    internal sealed class Bench
    {
        public readonly FakePersistentStore Flash = new(1 << 22);
        public readonly FakeCloudLink Link = new();
        public readonly FakeClock Clock = new(Now);
        public readonly FakeLockActuator Bolt = new();
        public readonly FakeSwitch Button = new("button");
        public readonly FakeSwitch Stamp = new("stamp");
        public readonly FakeSwitch Tamper = new("tamper-case");
        public readonly FakeCamera Camera = new();
        public readonly FakeIndicator Indicator = new();
        public readonly FakeSealTagReader SealReader = new() { Present = "04AA55CC" };
        public LockController? Controller;
        public PositionReporter Positions = null!;
        public Outbox Outbox = null!;

        public Bench()
        {
            PowerOn();
            Link.SetConnected(true);
        }

        /// <summary>(Re)creates the firmware over the same flash, as after a power cycle.</summary>
        public void PowerOn()
        {
            Controller?.Stop();
            Bolt.PowerLoss();
            var identity = new DeviceIdentity(DeviceId, Key, 1);
            var queue = new OfflineQueue(Flash, 512, 64);
            queue.Load();
            var outbox = new Outbox(identity, queue, Link, Clock);
            Outbox = outbox;
            Positions = new PositionReporter(new PositionReporterSettings());
            Positions.Offer(new GnssFix { UtcMs = Now, Valid = true, Latitude = 31.2304, Longitude = 121.4737, AccuracyM = 5, Quality = 1, Satellites = 9, Hdop = 1, SpeedMs = 0, CourseDeg = 0, AltitudeMsl = 4 }, Clock.UptimeMs);
            var hardware = new LockHardware { Bolt = Bolt, Button = Button, StampSwitch = Stamp, Tamper = Tamper, Camera = Camera, Indicator = Indicator, Clock = Clock, Link = Link, Flash = Flash, SealTag = SealReader };
            Controller = new LockController(identity, hardware, new LockSettings(), outbox, new CommandInbox(identity, Flash, Clock, 5_000), Positions);
        }

        public TestCloud Cloud => _cloud ??= new TestCloud(DeviceId, Key, Clock, Link);

        private TestCloud? _cloud;

        public void Command(MessageBody body, string? id = null, byte[]? key = null) => Cloud.Send(body, id, key);

        public string LastTopic => Cloud.LastTopic;

        public byte[] LastPayload => Cloud.LastPayload;

        public void Press(FakeSwitch sw)
        {
            sw.Set(true, Clock.UptimeMs);
            sw.Set(false, Clock.UptimeMs);
        }

        public List<(Envelope Envelope, MessageBody Body)> Published() => Cloud.Published();

        public IEnumerable<T> Bodies<T>() => Published().Select(p => p.Body).OfType<T>();
    }

    internal static string Token(int uses, bool docs, string jti = "tok-1", string? tag = null) => UseTokenWriter.Write(new UseToken
    {
        SealTag = tag,
        Id = jti, Audience = DeviceId, Subject = "user-zhang.wei", IssuedAt = (Now / 1000) - 10, NotBefore = (Now / 1000) - 10, Expires = (Now / 1000) + 3600,
        SealId = "seal-contract-01", ApplicationId = "app-1", Uses = uses, OfflineUses = 0, Mode = UseToken.ModeLock,
        Documents = docs ? new[] { new TokenDocument("doc-77", 2) } : Array.Empty<TokenDocument>(),
    }, Key, "v1");

    [Fact]
    public void A_whole_stamp_with_a_document_check_runs_on_fake_hardware()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 2, docs: true) });
        Assert.Equal(2, bench.Bodies<TokenLoadedBody>().Single().Remaining);

        bench.Press(bench.Button);
        PhotoManifestBody manifest = bench.Bodies<PhotoManifestBody>().Single();
        Assert.Equal(PhotoPurpose.Before, manifest.Purpose);
        Assert.Equal(LockMode.AwaitingVerdict, bench.Controller!.State.Mode);
        Assert.False(bench.Bolt.IsUnlocked);

        bench.Command(new DocumentVerdictBody { AttemptId = manifest.AttemptId, Verdict = DocumentVerdictKind.Ok, DocumentId = "doc-77", Page = 1 });
        Assert.True(bench.Bolt.IsUnlocked);
        Assert.Equal(1, bench.Bodies<UnlockedBody>().Single().Remaining);

        bench.Press(bench.Stamp);
        Assert.False(bench.Bolt.IsUnlocked);
        StampedBody stamped = bench.Bodies<StampedBody>().Single();
        Assert.Equal(("doc-77", 1, manifest.PhotoId), (stamped.DocumentId, stamped.Page, stamped.BeforePhotoId));
        Assert.Equal(2, bench.Bodies<PhotoManifestBody>().Count()); // the after-photo
        var seqs = bench.Published().Select(p => p.Envelope.Seq).ToList();
        Assert.Equal(seqs.OrderBy(s => s), seqs);
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
    }

    [Fact]
    public void Remote_disable_survives_a_power_cycle_and_forged_or_replayed_commands_raise_alarms()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 5, docs: false) });
        bench.Command(new SetStateBody { Enabled = false, Version = 2, Reason = "seal reported lost" });
        Assert.False(bench.Bodies<StateAppliedBody>().Single().Enabled);

        bench.Link.Published.Clear();
        bench.PowerOn();
        bench.Press(bench.Button);
        Assert.Equal(RefusalReason.Disabled, bench.Bodies<RefusedBody>().Single().Reason);
        Assert.Equal(0, bench.Bolt.UnlockCount);

        bench.Command(new SetStateBody { Enabled = true, Version = 3 }, key: DeviceKeys.Derive(Master, "lock-0002", 1));
        Assert.Equal(AlarmType.ForgedMessage, bench.Bodies<AlarmBody>().Single().Alarm);
        Assert.Equal(LockMode.Disabled, bench.Controller!.State.Mode);

        bench.Command(new SetStateBody { Enabled = true, Version = 3 });
        Assert.Equal(LockMode.Idle, bench.Controller!.State.Mode);
        bench.Command(new SetStateBody { Enabled = false, Version = 4 });
        bench.Link.Published.Clear();
        bench.Link.Deliver(bench.LastTopic, bench.LastPayload); // an attacker replays the disable... and the enable before it would be refused the same way
        Assert.Equal(AlarmType.ReplayedMessage, bench.Bodies<AlarmBody>().Single().Alarm);
    }

    [Fact]
    public void A_token_for_another_device_is_refused_and_reported()
    {
        var bench = new Bench();
        string foreign = UseTokenWriter.Write(new UseToken
        {
            Id = "tok-x", Audience = "lock-0002", Subject = "u", IssuedAt = Now / 1000, NotBefore = Now / 1000, Expires = (Now / 1000) + 60,
            SealId = "s", ApplicationId = "a", Uses = 1, Mode = UseToken.ModeLock, Documents = Array.Empty<TokenDocument>(),
        }, Key, "v1");
        bench.Command(new LoadTokenBody { Token = foreign }, id: "cmd-load");
        Assert.Equal(RefusalReason.WrongDevice, bench.Bodies<RefusedBody>().Single().Reason);
        CommandResultBody result = bench.Bodies<CommandResultBody>().Single();
        Assert.False(result.Ok);
        Assert.Equal("cmd-load", result.CommandId);
    }

    [Fact]
    public void Events_made_offline_are_replayed_after_reconnect_and_dropped_when_acknowledged()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 1, docs: false) });
        bench.Link.SetConnected(false);
        bench.Press(bench.Button);
        bench.Press(bench.Stamp);
        Assert.Equal(1, bench.Bolt.UnlockCount);

        int before = bench.Link.Published.Count;
        bench.Link.SetConnected(true);
        var replayed = bench.Published().Skip(before).ToList();
        Assert.Contains(replayed, p => p.Body is StampedBody);
        long stampedSeq = replayed.First(p => p.Body is StampedBody).Envelope.Seq;

        bench.Command(new AckBody { Seqs = bench.Published().Select(p => p.Envelope.Seq).Distinct().ToArray() });
        bench.Link.Published.Clear();
        bench.Link.SetConnected(false);
        bench.Link.SetConnected(true);
        Assert.DoesNotContain(bench.Published(), p => p.Envelope.Seq == stampedSeq);
    }
    [Fact]
    public void A_camera_that_times_out_refuses_the_attempt_and_spends_no_use()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 2, docs: true) });
        bench.Camera.TimesOut = true;
        bench.Press(bench.Button);

        RefusedBody refused = bench.Bodies<RefusedBody>().Single();
        Assert.Equal(RefusalReason.CameraFailed, refused.Reason);
        Assert.Equal(0, bench.Bolt.UnlockCount);
        Assert.Equal(2, bench.Controller!.State.Remaining);
        Assert.Equal(LockMode.Idle, bench.Controller.State.Mode);
    }

    [Fact]
    public void Garbage_and_unsigned_messages_on_the_device_topics_raise_alarms_and_change_nothing()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 2, docs: false) });
        LockState before = bench.Controller!.State;
        string cmd = DeviceTopics.For(DeviceId, TopicKind.Commands);
        bench.Link.Deliver(cmd, [0xFF, 0x00, 0x13, 0x37]);
        bench.Clock.Advance(DeviceReporter.RejectedAlarmIntervalMs);
        bench.Link.Deliver(cmd, Encoding.UTF8.GetBytes("{\"v\":1,\"dev\":\"lock-0001\",\"seq\":99,\"ts\":1,\"type\":\"set-state\",\"body\":{\"enabled\":false,\"version\":9},\"mac\":\"AAAA\"}"));
        bench.Clock.Advance(DeviceReporter.RejectedAlarmIntervalMs);
        bench.Link.Deliver(cmd, new byte[40_000]);
        bench.Clock.Advance(DeviceReporter.RejectedAlarmIntervalMs);
        bench.Link.Deliver(DeviceTopics.For("lock-0002", TopicKind.Commands), bench.LastPayload);

        Assert.Equal(4, bench.Bodies<AlarmBody>().Count(a => a.Alarm == AlarmType.ForgedMessage && a.Active));
        LockState after = bench.Controller.State;
        Assert.Equal(before.Enabled, after.Enabled);
        Assert.Equal(before.Remaining, after.Remaining);
        Assert.Equal(before.Mode, after.Mode);
    }

    [Fact]
    public void A_flood_of_forged_messages_raises_one_alarm_per_minute_and_cannot_fill_the_flash()
    {
        var bench = new Bench();
        string cmd = DeviceTopics.For(DeviceId, TopicKind.Commands);
        for (int i = 0; i < 5_000; i++)
        {
            bench.Link.Deliver(cmd, [(byte)i, 0x7B]);
        }

        Assert.Single(bench.Bodies<AlarmBody>());
        bench.Clock.Advance(DeviceReporter.RejectedAlarmIntervalMs);
        bench.Link.Deliver(cmd, [0x7B]);
        AlarmBody second = bench.Bodies<AlarmBody>().Last();
        Assert.Contains("+4999 more", second.Detail);
        Assert.True(bench.Outbox.CanRecordCritical);
    }

    [Fact]
    public void Replaying_an_old_desired_state_cannot_reload_a_spent_token_even_after_a_reboot()
    {
        var bench = new Bench();
        bench.Command(new DesiredStateBody { Version = 1, Enabled = true, Token = Token(uses: 1, docs: false, jti: "tok-A") });
        string topic = bench.LastTopic;
        byte[] oldDesired = bench.LastPayload;
        bench.Press(bench.Button);
        bench.Press(bench.Stamp);
        bench.Command(new DesiredStateBody { Version = 2, Enabled = true, Token = Token(uses: 1, docs: false, jti: "tok-B") });
        bench.Press(bench.Button);
        bench.Press(bench.Stamp);
        Assert.Equal(2, bench.Bolt.UnlockCount);

        bench.Link.Deliver(topic, oldDesired); // a broker-level attacker replays the old retained state
        bench.Press(bench.Button);
        Assert.Equal("tok-B", bench.Controller!.State.Token!.Id);
        Assert.Equal(2, bench.Bolt.UnlockCount);

        // Even a fresh command carrying the spent token (a cloud bug, a stolen token) cannot restart it.
        bench.PowerOn();
        bench.Command(new LoadTokenBody { Token = Token(uses: 1, docs: false, jti: "tok-A") });
        Assert.Contains(bench.Bodies<RefusedBody>(), r => r.TokenId == "tok-A" && r.Reason == RefusalReason.TokenRevoked);
        bench.Press(bench.Button);
        Assert.Equal(2, bench.Bolt.UnlockCount);
    }

    [Fact]
    public void A_token_revoked_before_it_arrives_never_loads()
    {
        var bench = new Bench();
        bench.Command(new RevokeTokenBody { TokenIds = ["tok-late"] });
        bench.Command(new LoadTokenBody { Token = Token(uses: 3, docs: false, jti: "tok-late") });
        Assert.Null(bench.Controller!.State.Token);
        bench.Press(bench.Button);
        Assert.Equal(0, bench.Bolt.UnlockCount);
        Assert.Equal(RefusalReason.NoToken, bench.Bodies<RefusedBody>().Last().Reason);
    }

    [Fact]
    public void A_token_bound_to_a_seal_tag_opens_only_with_that_seal_in_the_lock_and_its_removal_raises_an_alarm()
    {
        var bench = new Bench();
        bench.Command(new LoadTokenBody { Token = Token(uses: 3, docs: false, tag: "04AA55CC") });

        bench.SealReader.Present = "04BEEF01"; // someone swapped the seal
        bench.Press(bench.Button);
        RefusedBody refused = bench.Bodies<RefusedBody>().Single();
        Assert.Equal(RefusalReason.WrongSeal, refused.Reason);
        Assert.Contains("04BEEF01", refused.Detail);
        Assert.Equal(0, bench.Bolt.UnlockCount);

        bench.SealReader.Present = "04AA55CC";
        bench.Press(bench.Button);
        Assert.Equal(1, bench.Bolt.UnlockCount);
        bench.Press(bench.Stamp);

        bench.SealReader.Present = TagReading.None;
        bench.Clock.Advance(LockController.SealTagPollMs);
        bench.Controller!.Tick();
        Assert.Contains(bench.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.SealRemoved && a.Active);
        bench.Clock.Advance(LockController.SealTagPollMs);
        bench.Controller.Tick();
        Assert.Single(bench.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.SealRemoved && a.Active);

        bench.SealReader.Present = "04AA55CC";
        bench.Clock.Advance(LockController.SealTagPollMs);
        bench.Controller.Tick();
        Assert.Contains(bench.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.SealRemoved && !a.Active);
    }

    [Fact]
    public void An_inventory_request_is_answered_with_the_tag_the_reader_sees_now_and_nothing_when_the_lock_is_empty()
    {
        var bench = new Bench();
        bench.Clock.Advance(LockController.SealTagPollMs);
        bench.Controller!.Tick();
        bench.Command(new ReportTagsBody { CheckId = "42" }, id: "cmd-tags-1");
        TagReportBody report = bench.Bodies<TagReportBody>().Single();
        Assert.Equal("42", report.CheckId);
        Assert.Equal([1L], report.Slots);
        Assert.Equal(["04AA55CC"], report.Tags);
        Assert.True(bench.Bodies<CommandResultBody>().Single(r => r.CommandId == "cmd-tags-1").Ok);

        bench.SealReader.Present = TagReading.None;
        bench.Clock.Advance(LockController.SealTagPollMs);
        bench.Controller.Tick();
        bench.Command(new ReportTagsBody(), id: "cmd-tags-2");
        TagReportBody empty = bench.Bodies<TagReportBody>().Last();
        Assert.Equal((null, 0, 0), (empty.CheckId, empty.Slots.Length, empty.Tags.Length));
    }
}
