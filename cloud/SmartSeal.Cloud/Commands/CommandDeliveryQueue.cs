using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Devices whose queued commands should be delivered now (they just came online). Each device is
/// in the queue at most once, so a flapping device cannot grow it; ingest only enqueues, the
/// <see cref="CommandBackgroundService"/> publishes.
/// </summary>
public sealed class CommandDeliveryQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    public ChannelReader<string> Reader => _channel.Reader;

    public void Enqueue(string deviceId)
    {
        if (_pending.TryAdd(deviceId, 0))
        {
            _channel.Writer.TryWrite(deviceId);
        }
    }

    /// <summary>Called as a device is taken off the queue, so a later presence change queues it again.</summary>
    public void Taken(string deviceId) => _pending.TryRemove(deviceId, out _);
}
