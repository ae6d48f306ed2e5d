using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Link.Fakes;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Tests.Link;

/// <summary>The broker session supervisor over a fake broker, alone and under a real lock controller.</summary>
public class CloudLinkTests
{
    private const string DeviceId = "lock-0042";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);

    private sealed class Bench
    {
        public readonly FakeMqttTransport Broker = new();
        public readonly FakeClock Clock = new(Now);
        public readonly FakePersistentStore Flash = new(1 << 22);
        public readonly CloudLinkSettings Settings = new();
        public readonly CloudLink Link;
        public readonly LockController Lock;
        public readonly FakeSwitch Button = new("button");
        public readonly FakeLockActuator Bolt = new();
        private long _commandCounter;

        public Bench()
        {
            var identity = new DeviceIdentity(DeviceId, Key, 1);
            Link = new CloudLink(identity, Broker, Clock, Settings, "1.2.3");
            var queue = new OfflineQueue(Flash, 512, 64);
            queue.Load();
            var outbox = new Outbox(identity, queue, Link, Clock);
            var hardware = new LockHardware
            {
                Bolt = Bolt, Button = Button, StampSwitch = new FakeSwitch("stamp"), Tamper = new FakeSwitch("tamper"), Camera = new FakeCamera(),
                Indicator = new FakeIndicator(), Clock = Clock, Link = Link, Flash = Flash,
            };
            var positions = new PositionReporter(new PositionReporterSettings());
            Lock = new LockController(identity, hardware, new LockSettings(), outbox, new CommandInbox(identity, Flash, Clock, 5_000), positions);
        }

        public byte[] Signed(MessageBody body, bool command)
        {
            var envelope = new Envelope { DeviceId = DeviceId, Seq = command ? ++_commandCounter : 0, Time = Clock.UtcNowMs, Expires = command ? Clock.UtcNowMs + 60_000 : 0, Type = body.Type, Id = command ? "cmd-" + _commandCounter : string.Empty };
            envelope.SetBody(MessageCodec.EncodeBody(body));
            return EnvelopeCodec.Encode(envelope, Key);
        }

        public void PollUntilUp()
        {
            for (int i = 0; i < 100 && Link.Phase != CloudLinkPhase.Up; i++)
            {
                if (Link.Phase == CloudLinkPhase.Down && Link.NextAttemptUptimeMs > Clock.UptimeMs)
                {
                    Clock.Advance(Link.NextAttemptUptimeMs - Clock.UptimeMs);
                }

                Link.Poll();
                Clock.Advance(500);
            }

            Assert.Equal(CloudLinkPhase.Up, Link.Phase);
        }

        public List<string> PublishedTypes(TopicKind kind) => Broker.Published.Cast<PublishedMessage>()
            .Where(p => p.Topic == DeviceTopics.For(DeviceId, kind))
            .Select(p => Decode(p.Payload).Type).ToList();

        public static Envelope Decode(byte[] payload)
        {
            var envelope = new Envelope();
            Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
            Assert.True(EnvelopeCodec.VerifyMac(envelope, Key));
            return envelope;
        }
    }

    [Fact]
    public void Connects_with_a_valid_SAS_password_a_signed_last_will_and_subscribes_to_the_desired_state_before_commands()
    {
        var bench = new Bench();
        bench.PollUntilUp();

        var options = (MqttConnectOptions)bench.Broker.Connects[0]!;
        Assert.Equal(DeviceId, options.Username);
        Assert.Equal(ProtocolError.None, BrokerPassword.Verify(options.Password, DeviceId, Key, Now / 1000, 7200));
        Assert.True(options.CleanSession);
        Envelope will = Bench.Decode(options.WillPayload);
        var willBody = new StatusBody();
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(will, willBody, out _));
        Assert.False(willBody.Online);

        Assert.Equal(
            [DeviceTopics.For(DeviceId, TopicKind.DesiredState), DeviceTopics.For(DeviceId, TopicKind.Commands), DeviceTopics.For(DeviceId, TopicKind.Acks)],
            bench.Broker.SubscribeLog.Cast<string>().ToArray());
        Envelope online = Bench.Decode(bench.Broker.Retained(DeviceTopics.For(DeviceId, TopicKind.Status))!);
        var onlineBody = new StatusBody();
        MessageCodec.DecodeBody(online, onlineBody, out _);
        Assert.True(onlineBody.Online);
        Assert.Equal("1.2.3", onlineBody.Firmware);
    }

    [Fact]
    public void A_disable_retained_while_the_lock_was_offline_is_applied_before_any_command_or_replay()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Broker.Drop();
        Assert.False(bench.Link.IsConnected);

        // While the lock is away: the keeper disables it (retained), and a live command is sent that the lock can't hear.
        bench.Broker.CloudPublish(DeviceTopics.For(DeviceId, TopicKind.DesiredState), bench.Signed(new DesiredStateBody { Enabled = false, Version = 5 }, command: false), retain: true);
        bench.Broker.CloudPublish(DeviceTopics.For(DeviceId, TopicKind.Commands), bench.Signed(new LocateBody(), command: true), retain: false);
        bench.Button.Set(true, bench.Clock.UptimeMs); // offline stamp attempt: refused for lack of a token, recorded

        bench.Clock.Advance(bench.Settings.MaxBackoffMs);
        bench.Link.Poll(); // connects, subscribes to desired only, the retained disable arrives
        Assert.Equal(CloudLinkPhase.AwaitingDesiredState, bench.Link.Phase);
        Assert.Equal(LockMode.Disabled, bench.Lock.State.Mode);
        Assert.DoesNotContain(DeviceTopics.For(DeviceId, TopicKind.Commands), bench.Broker.SubscribeLog.Cast<string>().Skip(3));

        bench.Link.Poll(); // desired handled: commands subscribed, outbox replayed
        Assert.Equal(CloudLinkPhase.Up, bench.Link.Phase);
        List<string> events = bench.PublishedTypes(TopicKind.Events);
        Assert.Contains(MessageTypes.StateApplied, events);
        Assert.Contains(MessageTypes.Refused, events);
        Assert.False(bench.Bolt.IsUnlocked);
    }

    [Fact]
    public void Refused_connects_back_off_exponentially_with_jitter_up_to_the_cap()
    {
        var bench = new Bench();
        bench.Broker.RefuseWith = "refused: not authorised";
        var delays = new List<long>();
        for (int i = 0; i < 12; i++)
        {
            bench.Clock.UptimeMs = bench.Link.NextAttemptUptimeMs;
            bench.Clock.UtcNowMs = Now + bench.Clock.UptimeMs;
            bench.Link.Poll();
            delays.Add(bench.Link.NextAttemptUptimeMs - bench.Clock.UptimeMs);
        }

        Assert.Equal(12, bench.Broker.Connects.Count);
        Assert.Equal("refused: not authorised", bench.Link.LastError);
        for (int i = 0; i < delays.Count; i++)
        {
            long full = Math.Min(bench.Settings.InitialBackoffMs << i, bench.Settings.MaxBackoffMs);
            Assert.InRange(delays[i], full / 2, full);
        }

        Assert.Equal(bench.Settings.MaxBackoffMs, Math.Min(bench.Settings.InitialBackoffMs << 11, bench.Settings.MaxBackoffMs));
        bench.Broker.RefuseWith = null;
        bench.PollUntilUp();
        Assert.Equal(0, bench.Link.ConsecutiveFailures);
    }

    [Fact]
    public void The_password_is_renewed_by_reconnecting_before_it_expires()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Clock.UtcNowMs += (bench.Settings.PasswordLifetimeSeconds - bench.Settings.RenewBeforeSeconds) * 1000;
        bench.Link.Poll();
        Assert.Equal(CloudLinkPhase.Down, bench.Link.Phase);
        bench.PollUntilUp();

        Assert.Equal(2, bench.Broker.Connects.Count);
        var second = (MqttConnectOptions)bench.Broker.Connects[1]!;
        Assert.NotEqual(((MqttConnectOptions)bench.Broker.Connects[0]!).Password, second.Password);
        Assert.Equal(ProtocolError.None, BrokerPassword.Verify(second.Password, DeviceId, Key, bench.Clock.UtcNowMs / 1000, 7200));
    }

    [Fact]
    public void Without_a_set_clock_no_password_can_be_minted_and_no_connect_is_tried()
    {
        var bench = new Bench();
        bench.Clock.UtcNowMs = 0;
        bench.Link.Poll();
        Assert.Empty(bench.Broker.Connects);
        Assert.Contains("clock", bench.Link.LastError);
        Assert.Equal(CloudLinkPhase.Down, bench.Link.Phase);
    }

    [Fact]
    public void A_clean_disconnect_publishes_offline_status_and_stays_down_until_resumed()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Link.Disconnect("deep sleep");
        Envelope status = Bench.Decode(bench.Broker.Retained(DeviceTopics.For(DeviceId, TopicKind.Status))!);
        var body = new StatusBody();
        MessageCodec.DecodeBody(status, body, out _);
        Assert.False(body.Online);
        Assert.Equal("deep sleep", body.Reason);

        bench.Clock.Advance(10 * bench.Settings.MaxBackoffMs);
        bench.Link.Poll();
        Assert.Single(bench.Broker.Connects);
        bench.Link.Resume();
        bench.PollUntilUp();
        Assert.Equal(2, bench.Broker.Connects.Count);
    }

    [Fact]
    public void A_fixed_password_expiry_gives_the_same_long_lived_password_on_every_connect_and_no_renewal()
    {
        var bench = new Bench();
        long expiry = (Now / 1000) + (365L * 24 * 3600);
        bench.Settings.FixedPasswordExpiryUnixSeconds = expiry;
        bench.PollUntilUp();
        bench.Clock.UtcNowMs += 2 * bench.Settings.PasswordLifetimeSeconds * 1000;
        bench.Link.Poll();
        Assert.Equal(CloudLinkPhase.Up, bench.Link.Phase); // no renewal reconnect

        bench.Broker.Drop();
        bench.PollUntilUp();
        var first = (MqttConnectOptions)bench.Broker.Connects[0]!;
        var second = (MqttConnectOptions)bench.Broker.Connects[1]!;
        Assert.Equal(BrokerPassword.Create(DeviceId, Key, expiry), first.Password);
        Assert.Equal(first.Password, second.Password);
    }

    [Fact]
    public void Every_status_of_a_session_carries_its_start_time_so_the_will_applies_after_its_online_status_but_never_over_a_newer_session()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        long firstStart = Now;
        var firstWill = Bench.Decode(((MqttConnectOptions)bench.Broker.Connects[0]!).WillPayload);
        var firstOnline = Bench.Decode(bench.Broker.Retained(DeviceTopics.For(DeviceId, TopicKind.Status))!);
        Assert.Equal(firstWill.Time, firstOnline.Time);

        bench.Broker.Drop();
        bench.Clock.UtcNowMs += 60_000;
        bench.PollUntilUp();
        var secondWill = Bench.Decode(((MqttConnectOptions)bench.Broker.Connects[1]!).WillPayload);
        Assert.True(secondWill.Time > firstWill.Time);
        Assert.True(firstStart <= firstWill.Time);
    }
}
