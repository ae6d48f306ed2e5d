using BenchmarkDotNet.Attributes;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Benchmarks;

/// <summary>
/// Host-measured cost of the lock firmware's two steady-state paths, with the real controller on
/// fake hardware: one inbound message handled (topic, decode, MAC, dispatch) and one position
/// report (reporter decision, telemetry signed and written to the flash queue, published).
/// </summary>
[MemoryDiagnoser]
public class LockControllerBenchmarks
{
    private const string DeviceId = "lock-bench-01";
    private const long Now = 1_800_000_000_000;

    private FakeClock _clock = null!;
    private LockController _controller = null!;
    private DiscardingLink _link = null!;
    private byte[] _ack = null!;
    private string _ackTopic = null!;
    private readonly GnssFix[] _fixes = new GnssFix[3];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = DeviceKeys.Derive(new byte[32], DeviceId, 1);
        var identity = new DeviceIdentity(DeviceId, key, 1);
        _clock = new FakeClock(Now);
        var flash = new FakePersistentStore(1 << 24);
        _link = new DiscardingLink();
        var queue = new OfflineQueue(flash, 256, 64);
        queue.Load();
        var outbox = new Outbox(identity, queue, _link, _clock);
        var hardware = new LockHardware
        {
            Bolt = new FakeLockActuator(), Button = new FakeSwitch("button"), StampSwitch = new FakeSwitch("stamp"), Tamper = new FakeSwitch("tamper"),
            Camera = new FakeCamera(), Indicator = new FakeIndicator(), Clock = _clock, Link = _link, Flash = flash,
        };
        _controller = new LockController(identity, hardware, new LockSettings(), outbox, new CommandInbox(identity, flash, _clock, 5_000), new PositionReporter(new PositionReporterSettings()));

        var envelope = new Envelope { DeviceId = DeviceId, Seq = 0, Time = Now, Type = MessageTypes.Ack, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(new AckBody { Seqs = [1, 2, 3] }));
        _ack = EnvelopeCodec.Encode(envelope, key);
        _ackTopic = DeviceTopics.For(DeviceId, TopicKind.Acks);
        for (int i = 0; i < _fixes.Length; i++)
        {
            _fixes[i] = new GnssFix { UtcMs = Now, Valid = true, Latitude = 31.2304, Longitude = 121.4737, AccuracyM = 5, Quality = 1, Satellites = 9, Hdop = 1, SpeedMs = 1.5, CourseDeg = 90, AltitudeMsl = 4 };
        }
    }

    [Benchmark(Description = "LockController: one inbound message (ack) handled")]
    public void HandleMessage() => _link.Deliver(_ackTopic, _ack);

    [Benchmark(Description = "LockController: one position report (fix -> signed telemetry on flash -> published)")]
    public PositionDecision PositionReport()
    {
        // A walker 45 m further every 30 s: every offered fix is due and believable. The reporter
        // keeps the fixes it accepted, so the receiver's buffers rotate like the device's do.
        GnssFix previous = _fixes[_next];
        _next = (_next + 1) % _fixes.Length;
        GnssFix fix = _fixes[_next];
        _clock.Advance(30_000);
        fix.UtcMs = previous.UtcMs + 30_000;
        fix.Longitude = previous.Longitude + 0.00047;
        PositionDecision decision = _controller.OfferFix(fix);
        if (decision != PositionDecision.Report)
        {
            throw new InvalidOperationException("position not reported: " + decision);
        }

        return decision;
    }

    /// <summary>A connected broker session that accepts and forgets (the benchmark must not grow a list).</summary>
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
}
