using System.Threading.Channels;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// The bounded hand-over from the broker to the ingest pipeline. A full queue makes the broker
/// wait (back-pressure on the publishing device's QoS 1 flow) instead of dropping anything.
/// </summary>
public sealed class IngestQueue
{
    public const int Capacity = 50_000;

    private readonly Channel<InboundMessage> _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<InboundMessage> Reader => _channel.Reader;

    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(message, cancellationToken);

    public int Count => _channel.Reader.Count;
}
