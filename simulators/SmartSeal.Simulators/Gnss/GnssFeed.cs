using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Simulators.Gnss;

/// <summary>
/// The device side of GNSS for one boot, wired as the firmware's main loop would: UART bytes into
/// <see cref="GnssReceiver"/>, fixes into <see cref="PositionReporter"/> (which the lock's
/// geofence check reads too), due reports out through the <see cref="Outbox"/> as telemetry.
/// </summary>
public sealed class GnssFeed
{
    private readonly GnssReceiver _receiver;
    private readonly IClock _clock;
    private readonly Outbox _outbox;
    private readonly JsonWriter _writer = new(256, EnvelopeCodec.MaxBodyBytes);
    private readonly Action<byte[]> _sink;

    public GnssFeed(PositionReporter reporter, Outbox outbox, IClock clock)
    {
        Reporter = reporter;
        _outbox = outbox;
        _clock = clock;
        _receiver = new GnssReceiver(OnFix);
        _sink = bytes => _receiver.Feed(bytes, 0, bytes.Length);
    }

    public PositionReporter Reporter { get; }

    public long Fixes { get; private set; }

    public long Reports { get; private set; }

    public void Pull(IGnssSource source, long worldMs)
    {
        source.ReadDue(worldMs, _sink);
    }

    /// <summary>Bytes as they came off the UART.</summary>
    public void Feed(byte[] bytes)
    {
        _receiver.Feed(bytes, 0, bytes.Length);
    }

    private void OnFix(GnssFix fix)
    {
        Fixes++;
        if (Reporter.Offer(fix, _clock.UptimeMs) != PositionDecision.Report)
        {
            return;
        }

        var body = new PositionBody { Fix = fix.ToWire(), Moving = Reporter.Moving };
        MessageCodec.EncodeBody(body, _writer);
        if (_outbox.Send(MessageTypes.Position, _writer.ToArray(), false) > 0)
        {
            Reports++;
        }
    }
}
