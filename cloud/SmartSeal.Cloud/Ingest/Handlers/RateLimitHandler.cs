using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// A token bucket per device (rate = <see cref="IngestOptions.MaxMessagesPerSecondPerDevice"/>,
/// burst = 2 seconds' worth). Messages beyond it are not acknowledged, so the device keeps them on
/// flash and sends them again later; nothing is lost, and a flooding device cannot starve others.
/// </summary>
public sealed class RateLimitHandler(IOptions<IngestOptions> options, TimeProvider time) : IIngestHandler
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate = options.Value.MaxMessagesPerSecondPerDevice;

    public IngestStage Stage => IngestStage.Verify;

    public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        foreach (IngestItem item in batch.Items)
        {
            if (item.Outcome != IngestOutcome.Pending || item.DeviceId is null)
            {
                continue;
            }

            Bucket bucket = _buckets.GetOrAdd(item.DeviceId, _ => new Bucket(2 * _rate, now));
            if (!bucket.TryTake(_rate, 2 * _rate, now, time))
            {
                item.Outcome = IngestOutcome.Throttled;
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        private double _tokens = tokens;
        private long _stamp = stamp;

        public bool TryTake(double rate, double burst, long now, TimeProvider time)
        {
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_stamp, now).TotalSeconds * rate));
            _stamp = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
