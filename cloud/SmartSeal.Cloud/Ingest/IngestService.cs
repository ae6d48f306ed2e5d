using System.Diagnostics;
using System.Threading.Channels;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// Drains the <see cref="IngestQueue"/> in batches (up to <see cref="MaxBatch"/> messages, or
/// whatever is there) and runs them through the handlers stage by stage. A batch whose storage
/// fails is retried as a whole after a pause; dedupe on (device, seq) makes the retry safe. Nothing
/// is acknowledged to a device before its record is committed.
/// </summary>
public sealed class IngestService(
    IngestQueue queue,
    IEnumerable<IIngestHandler> handlers,
    CloudMetrics metrics,
    TimeProvider time,
    ILogger<IngestService> logger) : BackgroundService
{
    public const int MaxBatch = 500;

    private readonly IIngestHandler[] _handlers = handlers.OrderBy(h => h.Stage).ToArray();
    private long _processed;

    /// <summary>Messages that went through the pipeline (any outcome), for tests and the benchmark.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChannelReader<InboundMessage> reader = queue.Reader;
        var items = new List<IngestItem>(MaxBatch);
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            items.Clear();
            while (items.Count < MaxBatch && reader.TryRead(out InboundMessage? message))
            {
                items.Add(new IngestItem(message));
            }

            await ProcessAsync(items.ToList(), stoppingToken);
        }
    }

    private async Task ProcessAsync(List<IngestItem> items, CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var batch = new IngestBatch(items, time.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                await RunAsync(batch, stoppingToken);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed (database restarting, disk full): nothing was acknowledged, so
                // devices keep the messages; retry the same batch with fresh items.
                logger.LogError(e, "Ingest batch of {Count} failed (attempt {Attempt}); retrying", items.Count, attempt);
                items = items.Select(i => new IngestItem(i.Message)).ToList();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), stoppingToken);
            }
            finally
            {
                batch.Transaction?.Dispose();
                if (batch.Connection != null)
                {
                    await batch.Connection.DisposeAsync();
                }
            }
        }

        metrics.BatchSize.Record(items.Count);
        metrics.MessagesReceived.Add(items.Count);
        long now = time.GetTimestamp();
        foreach (IngestItem item in items)
        {
            metrics.IngestLatency.Record(time.GetElapsedTime(item.Message.ReceivedTimestamp, now).TotalMilliseconds);
        }

        Interlocked.Add(ref _processed, items.Count);
    }

    private async Task RunAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        bool committed = false;
        foreach (IIngestHandler handler in _handlers)
        {
            if (handler.Stage == IngestStage.AfterCommit && !committed)
            {
                if (batch.Transaction != null)
                {
                    await batch.Transaction.CommitAsync(cancellationToken);
                }

                committed = true;
            }

            await handler.HandleAsync(batch, cancellationToken);
        }

        if (!committed && batch.Transaction != null)
        {
            await batch.Transaction.CommitAsync(cancellationToken);
        }

        Debug.Assert(batch.Items.All(i => i.Outcome != IngestOutcome.Pending), "every item must have an outcome");
    }
}
