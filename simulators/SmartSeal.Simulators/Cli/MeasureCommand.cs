using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using Spectre.Console;

namespace SmartSeal.Simulators.Cli;

/// <summary>
/// measure: what the firmware core itself allocates per operation and retains per lock, with
/// the transport replaced by a link that accepts and discards (so MQTTnet is not counted), on
/// the in-memory flash. Bytes come from <see cref="GC.GetAllocatedBytesForCurrentThread"/> around
/// the calls; retained memory from the managed heap before and after building N locks.
/// </summary>
public static class MeasureCommand
{
    private const int Rounds = 2000;
    private static readonly byte[] Master = DeviceProvisioning.DemoMasterKey;

    public static int Run()
    {
        var table = new Table().Title("[bold]firmware core, host-measured[/]").AddColumns("operation", "allocated", "over");
        var bench = new Bench("lock-9000");
        bench.Controller.Boot("measure", "power-on", 1);

        // Acks: one per event, as the cloud sends them when traffic is light.
        long seq = bench.Queue.NextSeq;
        for (int i = 0; i < Rounds; i++)
        {
            bench.Controller.Tick();
        }

        var acks = new byte[Rounds][];
        for (int i = 0; i < Rounds; i++)
        {
            bench.Outbox.Send(MessageTypes.Battery, Encoding.UTF8.GetBytes("{\"mv\":4000,\"pct\":80}"), false);
            acks[i] = bench.Sign(new AckBody { Seqs = [seq + i] }, i + 1, string.Empty);
        }

        table.AddRow("handle an ack (verify, decode, drop the flash record)", Per(() => { foreach (byte[] a in acks) { bench.Link.Deliver(bench.Topic(TopicKind.Acks), a); } }), $"{Rounds} acks");

        var commands = new byte[Rounds][];
        for (int i = 0; i < Rounds; i++)
        {
            commands[i] = bench.Sign(new SetStateBody { Enabled = true, Version = i + 1 }, Rounds + i + 1, "cmd-" + i);
        }

        table.AddRow("handle a set-state command (verify, replay guard to flash, apply, 2 events signed and stored)", Per(() => { foreach (byte[] c in commands) { bench.Link.Deliver(bench.Topic(TopicKind.Commands), c); } }), $"{Rounds} commands");

        // Positions: a moving fix every 30 s of device time, so every cycle is a report.
        var cycles = new byte[Rounds][];
        DateTime start = DateTime.UtcNow;
        for (int i = 0; i < Rounds; i++)
        {
            cycles[i] = Encoding.ASCII.GetBytes(NmeaWriter.Cycle(start.AddSeconds(30 * i), 31.2304 + (i * 0.0003), 121.4737, 1.5, 0, 4));
        }

        long reportsBefore = bench.Gnss.Reports;
        string perCycle = Per(() =>
        {
            foreach (byte[] c in cycles)
            {
                bench.Clock.Advance(30_000);
                bench.Gnss.Feed(c);
            }
        });
        table.AddRow("position report (NMEA bytes → fix → reporter → sign → flash → publish)", perCycle, $"{bench.Gnss.Reports - reportsBefore} reports");
        // Idle: everything acknowledged (otherwise the outbox's periodic re-publish is measured too).
        bench.Outbox.Acknowledge(Enumerable.Range(0, (int)bench.Queue.NextSeq).Select(i => (long)i).ToArray());
        bench.Controller.Tick();
        table.AddRow("controller tick (idle, nothing pending)", Per(() => { for (int i = 0; i < Rounds; i++) { bench.Clock.Advance(250); bench.Controller.Tick(); } }), $"{Rounds} ticks");

        // Retained: N locks, booted, tokenless, connected to a discarding link.
        const int Locks = 1000;
        long before = GC.GetTotalMemory(true);
        var keep = new Bench[Locks];
        for (int i = 0; i < Locks; i++)
        {
            keep[i] = new Bench($"lock-r{i:0000}");
            keep[i].Controller.Boot("measure", "power-on", 1);
        }

        long after = GC.GetTotalMemory(true);
        table.AddRow("retained per lock instance (controller, link supervisor, outbox, inbox, GNSS; flash contents excluded)", $"{(after - before - keep.Sum(k => k.FlashBytes)) / (double)Locks / 1024:0.0} KB", $"{Locks} locks");
        table.AddRow("flash used per booted lock (in-memory store)", $"{keep.Average(k => k.FlashBytes) / 1024:0.0} KB", $"{Locks} locks");
        GC.KeepAlive(keep);
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Per(Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return $"{bytes / (double)Rounds:0} B";
    }

    /// <summary>A lock on fakes whose link accepts everything and keeps nothing.</summary>
    private sealed class Bench
    {
        private readonly DeviceIdentity _identity;
        private readonly FakePersistentStore _flash = new(8L << 20);

        public Bench(string id)
        {
            _identity = new DeviceIdentity(id, DeviceKeys.Derive(Master, id, 1), 1);
            Queue = new OfflineQueue(_flash, 4096, 64);
            Queue.Load();
            Outbox = new Outbox(_identity, Queue, Link, Clock);
            var positions = new PositionReporter(new PositionReporterSettings());
            Gnss = new GnssFeed(positions, Outbox, Clock);
            var hardware = new LockHardware
            {
                Bolt = new FakeLockActuator(), Button = new FakeSwitch("button"), StampSwitch = new FakeSwitch("stamp"), Tamper = new FakeSwitch("tamper"),
                Camera = new FakeCamera(), Indicator = new FakeIndicator(), Clock = Clock, Link = Link, Flash = _flash,
            };
            Controller = new LockController(_identity, hardware, new LockSettings(), Outbox, new CommandInbox(_identity, _flash, Clock, 5_000), positions);
            Supervisor = new CloudLink(_identity, new NullTransport(), Clock, new CloudLinkSettings(), "measure");
        }

        public FakeClock Clock { get; } = new(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        public DiscardingLink Link { get; } = new();

        public OfflineQueue Queue { get; }

        public Outbox Outbox { get; }

        public GnssFeed Gnss { get; }

        public LockController Controller { get; }

        public CloudLink Supervisor { get; }

        public long FlashBytes => (8L << 20) - _flash.FreeBytes;

        public string Topic(TopicKind kind) => DeviceTopics.For(_identity.DeviceId, kind);

        public byte[] Sign(MessageBody body, long counter, string id)
        {
            long now = Clock.UtcNowMs;
            var envelope = new Envelope { DeviceId = _identity.DeviceId, Seq = counter, Time = now, Expires = now + 60_000, Type = body.Type, Id = id };
            envelope.SetBody(MessageCodec.EncodeBody(body));
            return EnvelopeCodec.Encode(envelope, _identity.Key);
        }
    }

    private sealed class DiscardingLink : ICloudLink
    {
        public event MessageReceivedHandler? MessageReceived;

        public event ConnectionChangedHandler? ConnectionChanged
        {
            add { }
            remove { }
        }

        public bool IsConnected => true;

        public bool Publish(string topic, byte[] payload, bool retain) => true;

        public void Deliver(string topic, byte[] payload) => MessageReceived?.Invoke(topic, payload);
    }

    private sealed class NullTransport : IMqttTransport
    {
        public event MessageReceivedHandler? MessageReceived
        {
            add { }
            remove { }
        }

        public event ConnectionChangedHandler? ConnectionLost
        {
            add { }
            remove { }
        }

        public bool IsConnected => false;

        public string Connect(MqttConnectOptions options) => "measurement: no broker";

        public bool Subscribe(string[] topics) => false;

        public bool Publish(string topic, byte[] payload, bool retain) => false;

        public void Disconnect()
        {
        }
    }
}
