using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Link.IotHub;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Firmware.Tests.Link.IotHub;

/// <summary>The IoT Hub link over an in-memory hub, under a real lock controller.</summary>
public class IotHubLinkTests
{
    private const string DeviceId = "lock-0042";
    private const string HostName = "smartseal-test.azure-devices.net";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);

    internal sealed class Bench
    {
        public readonly FakeClock Clock = new(Now);
        public readonly FakeIotHub Hub;
        public readonly FakePersistentStore Flash = new(1 << 22);
        public readonly CloudLinkSettings Settings = new();
        public readonly IotHubLink Link;
        public readonly LockController Lock;
        public readonly Outbox Outbox;
        public readonly FakeSwitch Button = new("button");
        public readonly FakeLockActuator Bolt = new();
        private long _commandCounter;

        public Bench()
        {
            Hub = new FakeIotHub(HostName, DeviceId, Key, Clock);
            var identity = new DeviceIdentity(DeviceId, Key, 1);
            Link = new IotHubLink(identity, Hub, Clock, Settings, HostName, "1.2.3");
            var queue = new OfflineQueue(Flash, 512, 64);
            queue.Load();
            var outbox = new Outbox(identity, queue, Link, Clock);
            Outbox = outbox;
            var hardware = new LockHardware
            {
                Bolt = Bolt, Button = Button, StampSwitch = new FakeSwitch("stamp"), Tamper = new FakeSwitch("tamper"), Camera = new FakeCamera(),
                Indicator = new FakeIndicator(), Clock = Clock, Link = Link, Flash = Flash,
            };
            Lock = new LockController(identity, hardware, new LockSettings(), outbox, new CommandInbox(identity, Flash, Clock, 5_000), new PositionReporter(new PositionReporterSettings()));
        }

        public byte[] Signed(MessageBody body, bool command, byte[]? key = null)
        {
            var envelope = new Envelope { DeviceId = DeviceId, Seq = command ? ++_commandCounter : 0, Time = Clock.UtcNowMs, Expires = command ? Clock.UtcNowMs + 60_000 : 0, Type = body.Type, Id = command ? "cmd-" + _commandCounter : string.Empty };
            envelope.SetBody(MessageCodec.EncodeBody(body));
            return EnvelopeCodec.Encode(envelope, key ?? Key);
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
                Hub.Pump();
                Clock.Advance(100);
            }

            Assert.Equal(CloudLinkPhase.Up, Link.Phase);
        }

        public List<Envelope> Sent(string leaf) => Hub.DeviceToCloud.Where(m => m.Leaf == leaf).Select(m => Decode(m.Body)).ToList();

        public static Envelope Decode(byte[] payload)
        {
            var envelope = new Envelope();
            Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
            Assert.True(EnvelopeCodec.VerifyMac(envelope, Key));
            return envelope;
        }

        public static T Body<T>(Envelope envelope)
            where T : MessageBody, new()
        {
            var body = new T();
            Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, body, out _));
            return body;
        }
    }

    [Fact]
    public void Connects_with_the_hub_username_a_SAS_token_from_the_device_key_and_reads_the_twin_before_methods()
    {
        var bench = new Bench();
        bench.PollUntilUp();

        MqttConnectOptions options = bench.Hub.Connects[0];
        Assert.Equal(DeviceId, options.ClientId);
        Assert.Equal(HostName + "/" + DeviceId + "/?api-version=2021-04-12", options.Username);
        IotHubSasToken token = IotHubSasToken.Parse(options.Password)!;
        Assert.Equal(ProtocolError.None, token.Verify(HostName + "/devices/" + DeviceId, null, Key, Now / 1000, 3600));
        Assert.True(options.CleanSession);
        Assert.Equal(IotHubTopics.Events(DeviceId, "status"), options.WillTopic);
        Assert.False(Bench.Body<StatusBody>(Bench.Decode(options.WillPayload)).Online);

        Assert.Equal(
            ["subscribe " + IotHubTopics.TwinResponses, "subscribe " + IotHubTopics.DesiredPatches, "twin GET", "subscribe " + IotHubTopics.MethodRequests, "subscribe " + IotHubTopics.DeviceBound(DeviceId)],
            bench.Hub.Log);
        Envelope online = Assert.Single(bench.Sent("status"));
        Assert.True(Bench.Body<StatusBody>(online).Online);
        Assert.Empty(bench.Hub.Denied);
    }

    [Fact]
    public void A_disable_set_in_the_twin_while_the_lock_was_offline_is_applied_before_methods_are_subscribed()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Hub.Drop();
        Assert.False(bench.Link.IsConnected);
        Assert.Equal((404, Array.Empty<byte>()), bench.Hub.InvokeMethod(MessageTypes.LocateNow, IotHubPayloads.WrapEnvelope(bench.Signed(new LocateBody(), command: true))));

        bench.Hub.SetDesired(bench.Signed(new DesiredStateBody { Enabled = false, Version = 5 }, command: false));
        bench.Button.Set(true, bench.Clock.UptimeMs); // offline stamp attempt, recorded

        bench.Clock.Advance(bench.Settings.MaxBackoffMs);
        bench.Link.Poll(); // connects, subscribes to the twin only, asks for it
        Assert.Equal(CloudLinkPhase.AwaitingDesiredState, bench.Link.Phase);
        bench.Hub.Pump(); // the twin arrives
        Assert.Equal(LockMode.Disabled, bench.Lock.State.Mode);
        Assert.DoesNotContain("subscribe " + IotHubTopics.MethodRequests, bench.Hub.Log.Skip(5));

        bench.Link.Poll(); // desired handled: methods and C2D subscribed, outbox replayed
        Assert.Equal(CloudLinkPhase.Up, bench.Link.Phase);
        Assert.Equal("subscribe " + IotHubTopics.MethodRequests, bench.Hub.Log[^2]);
        List<string> events = bench.Sent("evt").Select(e => e.Type).ToList();
        Assert.Contains(MessageTypes.StateApplied, events);
        Assert.Contains(MessageTypes.Refused, events);
        Assert.False(bench.Bolt.IsUnlocked);
    }

    [Fact]
    public void A_direct_method_is_answered_with_the_signed_result_which_also_goes_to_the_cloud_as_an_event()
    {
        var bench = new Bench();
        bench.PollUntilUp();

        (int status, byte[] payload) = bench.Hub.InvokeMethod(MessageTypes.LocateNow, IotHubPayloads.WrapEnvelope(bench.Signed(new LocateBody(), command: true)));

        Assert.Equal(200, status);
        Envelope result = Bench.Decode(IotHubPayloads.UnwrapEnvelope(payload)!);
        CommandResultBody body = Bench.Body<CommandResultBody>(result);
        Assert.Equal("cmd-1", body.CommandId);
        Assert.False(body.Ok); // no GNSS fix yet: refused with a reason, signed by the device
        Assert.Equal(RefusalReason.NoFix, body.Reason);
        Assert.Equal(result.Seq, Assert.Single(bench.Sent("res")).Seq);
    }

    [Fact]
    public void A_method_the_controller_answers_later_gets_202_and_a_forged_one_is_refused_and_reported()
    {
        var bench = new Bench();
        bench.PollUntilUp();

        (int status, byte[] payload) = bench.Hub.InvokeMethod(MessageTypes.LocateNow, IotHubPayloads.WrapEnvelope(bench.Signed(new LocateBody(), command: true, key: DeviceKeys.Derive(Master, "lock-0043", 1))));
        Assert.Equal(IotHubLink.AcceptedStatus, status);
        Assert.Equal("null", Encoding.UTF8.GetString(payload));
        Assert.Empty(bench.Sent("res"));
        Assert.Contains(bench.Sent("evt"), e => e.Type == MessageTypes.Alarm);

        Assert.Equal(404, bench.Hub.InvokeMethod("reboot", Encoding.UTF8.GetBytes("null")).Status);
        Assert.Equal(404, bench.Hub.InvokeMethod(MessageTypes.Stamped, Encoding.UTF8.GetBytes("null")).Status);
        Assert.Equal(400, bench.Hub.InvokeMethod(MessageTypes.LocateNow, Encoding.UTF8.GetBytes("{\"not\":\"a string\"}")).Status);
    }

    [Fact]
    public void A_desired_patch_while_connected_disables_the_lock_and_an_older_one_changes_nothing()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Hub.SetDesired(bench.Signed(new DesiredStateBody { Enabled = false, Version = 7 }, command: false));
        bench.Hub.Pump();
        Assert.Equal(LockMode.Disabled, bench.Lock.State.Mode);

        bench.Hub.SetDesired(bench.Signed(new DesiredStateBody { Enabled = true, Version = 6 }, command: false));
        bench.Hub.Pump();
        Assert.Equal(LockMode.Disabled, bench.Lock.State.Mode);

        bench.Hub.SetDesired(null); // property removed: nothing to apply
        bench.Hub.Pump();
        Assert.Equal(LockMode.Disabled, bench.Lock.State.Mode);
    }

    [Fact]
    public void A_C2D_ack_lets_the_device_drop_the_acknowledged_events_from_flash()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Button.Set(true, bench.Clock.UptimeMs); // refused for lack of a token: one event queued on flash
        Envelope refused = bench.Sent("evt").Single(e => e.Type == MessageTypes.Refused);
        int pendingBefore = bench.Outbox.Pending;
        Assert.True(pendingBefore > 0);

        bench.Hub.SendCloudToDevice("%24.to=%2Fdevices%2F" + DeviceId + "%2Fmessages%2Fdevicebound&leaf=ack", bench.Signed(new AckBody { Seqs = [refused.Seq] }, command: false));
        bench.Hub.Pump();

        Assert.Equal(pendingBefore - 1, bench.Outbox.Pending);
    }

    [Fact]
    public void A_twin_GET_refused_or_unanswered_drops_the_session_and_retries_with_backoff()
    {
        var bench = new Bench();
        bench.Hub.TwinGetStatus = 429;
        bench.Link.Poll();
        bench.Hub.Pump();
        bench.Link.Poll();
        Assert.Equal(CloudLinkPhase.Down, bench.Link.Phase);
        Assert.Equal("twin GET answered 429", bench.Link.LastError);
        Assert.False(bench.Hub.IsConnected);
        Assert.InRange(bench.Link.NextAttemptUptimeMs - bench.Clock.UptimeMs, bench.Settings.InitialBackoffMs / 2, bench.Settings.InitialBackoffMs);

        bench.Hub.TwinGetStatus = null;
        bench.Hub.IgnoreTwinGets = true;
        bench.Clock.Advance(bench.Settings.InitialBackoffMs);
        bench.Link.Poll();
        bench.Hub.Pump();
        bench.Clock.Advance(bench.Settings.DesiredStateWaitMs);
        bench.Link.Poll();
        Assert.Equal(CloudLinkPhase.Down, bench.Link.Phase);
        Assert.Equal("no answer to the twin GET", bench.Link.LastError);
        Assert.Equal(2, bench.Link.ConsecutiveFailures);
        Assert.DoesNotContain("subscribe " + IotHubTopics.MethodRequests, bench.Hub.Log);

        bench.Hub.IgnoreTwinGets = false;
        bench.PollUntilUp();
        Assert.Equal(0, bench.Link.ConsecutiveFailures);
    }

    [Fact]
    public void The_SAS_token_is_renewed_by_reconnecting_before_it_expires_and_a_wrong_key_is_refused()
    {
        var bench = new Bench();
        bench.PollUntilUp();
        bench.Clock.UtcNowMs += (bench.Settings.PasswordLifetimeSeconds - bench.Settings.RenewBeforeSeconds) * 1000;
        bench.Link.Poll();
        Assert.Equal(CloudLinkPhase.Down, bench.Link.Phase);
        bench.PollUntilUp();
        Assert.Equal(2, bench.Hub.Connects.Count);
        Assert.NotEqual(bench.Hub.Connects[0].Password, bench.Hub.Connects[1].Password);

        var clock = new FakeClock(Now);
        var hub = new FakeIotHub(HostName, DeviceId, Key, clock);
        var impostor = new IotHubLink(new DeviceIdentity(DeviceId, DeviceKeys.Derive(Master, DeviceId, 2), 2), hub, clock, new CloudLinkSettings(), HostName, "1.2.3");
        impostor.Poll();
        Assert.Equal(CloudLinkPhase.Down, impostor.Phase);
        Assert.Equal("refused: not authorized", impostor.LastError);
    }

    [Fact]
    public void Only_device_topics_are_published_and_each_leaf_lands_in_the_property_bag()
    {
        var bench = new Bench();
        Assert.False(bench.Link.Publish("smartseal/v1/" + DeviceId + "/evt", [1], false)); // not up yet
        bench.PollUntilUp();
        byte[] body = Encoding.UTF8.GetBytes("{}");
        foreach (string leaf in new[] { "evt", "tele", "res", "photo" })
        {
            Assert.True(bench.Link.Publish("smartseal/v1/" + DeviceId + "/" + leaf, body, false));
            Assert.Equal(leaf, bench.Hub.DeviceToCloud[^1].Leaf);
        }

        Assert.False(bench.Link.Publish("smartseal/v1/" + DeviceId + "/cmd", body, false));
        Assert.False(bench.Link.Publish("smartseal/v1/lock-0043/evt", body, false));
        Assert.False(bench.Link.Publish("devices/" + DeviceId + "/messages/events/", body, false));
        Assert.Empty(bench.Hub.Denied);
    }
}
