using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Tests.Device;

public class OutboxAndInboxTests
{
    private const string DeviceId = "lock-0001";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);
    private static readonly DeviceIdentity Identity = new(DeviceId, Key, 1);

    private static Envelope DecodeVerified(byte[] payload)
    {
        var envelope = new Envelope();
        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
        Assert.True(EnvelopeCodec.VerifyMac(envelope, Key));
        return envelope;
    }

    private static Outbox NewOutbox(FakePersistentStore store, FakeCloudLink link)
    {
        var queue = new OfflineQueue(store, 64, 8);
        queue.Load();
        return new Outbox(Identity, queue, link, new FakeClock(Now));
    }

    [Fact]
    public void Messages_sent_offline_are_replayed_in_order_after_reconnect_and_reboot_until_acknowledged()
    {
        var store = new FakePersistentStore(1 << 20);
        var link = new FakeCloudLink();
        Outbox outbox = NewOutbox(store, link);
        Assert.Equal(1, outbox.Send("stamped", Encoding.UTF8.GetBytes("{\"n\":1}"), critical: true));
        Assert.Equal(2, outbox.Send("position", Encoding.UTF8.GetBytes("{\"n\":2}"), critical: false));
        Assert.Empty(link.Published);

        // Reboot while offline, then connect.
        Outbox rebooted = NewOutbox(store, link);
        link.SetConnected(true);
        Assert.Equal(2, rebooted.Flush());
        var first = (PublishedMessage)link.Published[0]!;
        var second = (PublishedMessage)link.Published[1]!;
        Assert.Equal("smartseal/v1/lock-0001/evt", first.Topic);
        Assert.Equal("smartseal/v1/lock-0001/tele", second.Topic);
        Envelope stamped = DecodeVerified(first.Payload);
        Assert.Equal(1, stamped.Seq);
        Assert.Equal("stamped", stamped.Type);
        Assert.Equal(Now, stamped.Time);
        Assert.Equal(2, DecodeVerified(second.Payload).Seq);

        rebooted.Acknowledge(new long[] { 1 });
        Assert.Equal(1, rebooted.Pending);
        Assert.Equal(3, rebooted.Send("battery", Encoding.UTF8.GetBytes("{}"), critical: false));
        Assert.Equal(3, DecodeVerified(((PublishedMessage)link.Published[2]!).Payload).Seq);
    }

    [Fact]
    public void Messages_nobody_acknowledged_are_published_again_while_connected_until_they_are()
    {
        var store = new FakePersistentStore(1 << 20);
        var link = new FakeCloudLink();
        var clock = new FakeClock(Now);
        var queue = new OfflineQueue(store, 64, 8);
        queue.Load();
        var outbox = new Outbox(Identity, queue, link, clock);
        link.SetConnected(true);
        outbox.Send("stamped", Encoding.UTF8.GetBytes("{\"n\":1}"), critical: true); // published, but the cloud was not subscribed

        clock.Advance(Outbox.ResendAfterMs - 1);
        outbox.Tick();
        Assert.Single(link.Published);

        clock.Advance(1);
        outbox.Tick();
        Assert.Equal(2, link.Published.Count);
        Assert.Equal(1, DecodeVerified(((PublishedMessage)link.Published[1]!).Payload).Seq);

        outbox.Acknowledge([1]);
        clock.Advance(Outbox.ResendAfterMs * 3);
        outbox.Tick();
        Assert.Equal(2, link.Published.Count);
    }

    [Fact]
    public void Older_messages_the_cloud_skipped_are_published_again_as_soon_as_a_later_one_is_acknowledged()
    {
        var link = new FakeCloudLink();
        var clock = new FakeClock(Now);
        var queue = new OfflineQueue(new FakePersistentStore(1 << 20), 64, 8);
        queue.Load();
        var outbox = new Outbox(Identity, queue, link, clock);
        link.SetConnected(true);
        outbox.Send("stamped", Encoding.UTF8.GetBytes("{\"n\":1}"), critical: true); // the broker is back, the cloud not yet subscribed
        outbox.Send("stamped", Encoding.UTF8.GetBytes("{\"n\":2}"), critical: true);

        // Acknowledgements that only arrive out of order (another cloud instance is still committing 1) cause no resend.
        clock.Advance(Outbox.GapResendAfterMs - 1);
        outbox.Send("position", Encoding.UTF8.GetBytes("{\"n\":3}"), critical: false);
        outbox.Acknowledge([2]);
        Assert.Equal(3, link.Published.Count);

        // Once 1 had its time it goes again on the next tick, without waiting for 30 s of silence
        // (which never comes while later messages keep being acknowledged); 3, published just now, stays.
        clock.Advance(1);
        outbox.Tick();
        Assert.Equal(4, link.Published.Count);
        Assert.Equal(1, DecodeVerified(((PublishedMessage)link.Published[3]!).Payload).Seq);
        Assert.Equal(2, outbox.Pending); // 1 and 3 wait

        // Not again right away: the republished 1 gets its own time to be acknowledged, ticks or acks alike.
        outbox.Send("position", Encoding.UTF8.GetBytes("{\"n\":4}"), critical: false);
        outbox.Acknowledge([4]);
        outbox.Tick();
        Assert.Equal(5, link.Published.Count);

        // A later acknowledgement republishes both once they had their time.
        clock.Advance(Outbox.GapResendAfterMs);
        outbox.Send("position", Encoding.UTF8.GetBytes("{\"n\":5}"), critical: false);
        outbox.Acknowledge([5]);
        Assert.Equal(new long[] { 5, 1, 3 }, link.Published.Cast<PublishedMessage>().Skip(5).Select(m => DecodeVerified(m.Payload).Seq));

        outbox.Acknowledge([1, 3]);
        Assert.Equal(0, outbox.Pending);
        clock.Advance(Outbox.ResendAfterMs * 2);
        outbox.Tick();
        Assert.Equal(8, link.Published.Count);
    }

    private static byte[] Command(long counter, string type = "set-state", string device = DeviceId, byte[]? key = null, long issued = Now)
    {
        var envelope = new Envelope { DeviceId = device, Seq = counter, Time = issued, Expires = issued + 60_000, Type = type, Id = "cmd-" + counter };
        envelope.SetBody(Encoding.UTF8.GetBytes("{\"enabled\":false}"));
        return EnvelopeCodec.Encode(envelope, key ?? Key);
    }

    private static ProtocolError Accept(CommandInbox inbox, string topic, byte[] payload) =>
        inbox.Accept(topic, payload, new Envelope(), out _, out _);

    [Fact]
    public void A_valid_command_is_accepted_once_even_across_a_reboot()
    {
        var store = new FakePersistentStore(1 << 20);
        var clock = new FakeClock(Now);
        string topic = DeviceTopics.For(DeviceId, TopicKind.Commands);
        var inbox = new CommandInbox(Identity, store, clock, 5_000);
        Assert.Equal(ProtocolError.None, Accept(inbox, topic, Command(7)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(inbox, topic, Command(7)));

        var rebooted = new CommandInbox(Identity, store, clock, 5_000);
        Assert.Equal(ProtocolError.CommandReplayed, Accept(rebooted, topic, Command(7)));
        Assert.Equal(ProtocolError.None, Accept(rebooted, topic, Command(8)));
    }

    [Fact]
    public void Forged_misaddressed_misrouted_and_stale_commands_are_refused_with_reasons()
    {
        var inbox = new CommandInbox(Identity, new FakePersistentStore(1 << 20), new FakeClock(Now), 5_000);
        string topic = DeviceTopics.For(DeviceId, TopicKind.Commands);

        Assert.Equal(ProtocolError.EnvelopeMacMismatch, Accept(inbox, topic, Command(1, key: DeviceKeys.Derive(Master, "lock-0002", 1))));
        Assert.Equal(ProtocolError.EnvelopeMacMismatch, Accept(inbox, topic, Command(1, key: DeviceKeys.Derive(Master, DeviceId, 2))));
        Assert.Equal(ProtocolError.EnvelopeWrongDevice, Accept(inbox, topic, Command(1, device: "lock-0002", key: DeviceKeys.Derive(Master, "lock-0002", 1))));
        Assert.Equal(ProtocolError.EnvelopeWrongDevice, Accept(inbox, DeviceTopics.For("lock-0002", TopicKind.Commands), Command(1)));
        Assert.Equal(ProtocolError.EnvelopeWrongDevice, Accept(inbox, DeviceTopics.For(DeviceId, TopicKind.Events), Command(1)));
        Assert.Equal(ProtocolError.EnvelopeWrongDirection, Accept(inbox, topic, Command(1, type: "stamped")));
        Assert.Equal(ProtocolError.EnvelopeUnknownType, Accept(inbox, topic, Command(1, type: "self-destruct")));
        Assert.Equal(ProtocolError.CommandExpired, Accept(inbox, topic, Command(1, issued: Now - 3_600_000)));
        Assert.Equal(ProtocolError.JsonMalformed, Accept(inbox, topic, Encoding.UTF8.GetBytes("{\"v\":1,")));

        // None of the refusals consumed the counter.
        Assert.Equal(ProtocolError.None, Accept(inbox, topic, Command(1)));
    }
}
