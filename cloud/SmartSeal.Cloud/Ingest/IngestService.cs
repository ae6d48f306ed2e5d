using System.Diagnostics;
using System.Threading.Channels;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// Drains the <see cref="IngestQueue"/> in batches (up to <see cref="MaxBatch"/> messages, or
/// whatever is there) and runs them through the handlers in <see cref="IngestPipeline"/>'s order,
/// committing the batch transaction before the first after-commit handler. A batch whose storage
/// fails is retried as a whole after a pause; dedupe on (device, seq) makes the retry safe. Nothing
/// is acknowledged to a device before its record is committed.
/// </summary>
public sealed class IngestService(
    IngestQueue queue,
    IngestPipeline pipeline,
    IEnumerable<IIngestHandler> handlers,
    CloudMetrics metrics,
    Storage.Database database,
    TimeProvider time,
    ILogger<IngestService> logger) : BackgroundService
{
    public const int MaxBatch = 500;

    /// <summary>Attempts before a failing batch is suspected of holding a message that cannot be stored.</summary>
    public const int AttemptsBeforeIsolating = 3;

    private readonly IIngestHandler[] _handlers = pipeline.Order(handlers);
    private readonly string[] _stageNames = pipeline.Handlers.Select(t => t.Name).ToArray(); // Order returns the handlers in this order
    private long _processed;

    /// <summary>The handlers as they run, in <see cref="IngestPipeline"/>'s order.</summary>
    public IReadOnlyList<IIngestHandler> Handlers => _handlers;

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
                // Nothing was acknowledged, so devices keep the messages. While the database is
                // unreachable (restarting, disk full) the whole batch is retried with backoff. When it
                // is reachable and the batch still fails, one message must be unstorable: isolate it,
                // so one bad message cannot stall everyone's ingest.
                bool reachable = await DatabaseReachableAsync(stoppingToken);
                if (reachable)
                {
                    logger.LogError(e, "Ingest batch of {Count} failed (attempt {Attempt})", items.Count, attempt);
                }
                else
                {
                    // An outage, not a fault of ours: readiness already says unhealthy; the devices keep
                    // their events until the batch commits.
                    logger.LogWarning("Database unreachable: ingest batch of {Count} kept unacknowledged, retrying (attempt {Attempt}): {Reason}", items.Count, attempt, e.Message);
                }

                items = items.Select(i => new IngestItem(i.Message)).ToList();
                if (attempt >= AttemptsBeforeIsolating && reachable)
                {
                    await IsolateAsync(items, stoppingToken);
                    return;
                }

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
        metrics.MessagesStored.Add(items.Count(i => i.Outcome == IngestOutcome.Stored));
        metrics.MessagesDuplicate.Add(items.Count(i => i.Outcome == IngestOutcome.Duplicate));
        long now = time.GetTimestamp();
        foreach (IngestItem item in items)
        {
            metrics.IngestLatency.Record(time.GetElapsedTime(item.Message.ReceivedTimestamp, now).TotalMilliseconds);
        }

        Interlocked.Add(ref _processed, items.Count);
    }

    /// <summary>
    /// Runs each message of a failing batch alone; one that still fails is left unacknowledged
    /// (its device sends it again after its outbox's resend delay) and logged, never dropped.
    /// </summary>
    private async Task IsolateAsync(List<IngestItem> items, CancellationToken stoppingToken)
    {
        if (items.Count > 1)
        {
            logger.LogWarning("Isolating the {Count} messages of a batch that fails while the database is reachable", items.Count);
            foreach (IngestItem item in items)
            {
                await ProcessAsync([new IngestItem(item.Message)], stoppingToken);
            }

            return;
        }

        InboundMessage message = items[0].Message;
        logger.LogError("Ingest cannot store a message on {Topic} ({Bytes} bytes); it is not acknowledged and its device will send it again", message.Topic, message.Payload.Length);
        metrics.MessagesRefused.Add(1);
        Interlocked.Increment(ref _processed);
    }

    private async Task<bool> DatabaseReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using System.Data.Common.DbConnection connection = await database.OpenAsync(cancellationToken);
            await using System.Data.Common.DbCommand probe = connection.CreateCommand();
            probe.CommandText = "SELECT 1";
            await probe.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    private async Task CommitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Transaction != null)
        {
            var cost = IngestStageCosts.Start(metrics, "commit");
            await batch.Transaction.CommitAsync(cancellationToken);
            cost.Stop();
        }
    }

    private async Task RunAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        bool committed = false;
        for (int i = 0; i < _handlers.Length; i++)
        {
            IIngestHandler handler = _handlers[i];
            if (handler.Stage == IngestStage.AfterCommit && !committed)
            {
                await CommitAsync(batch, cancellationToken);
                committed = true;
            }

            var cost = IngestStageCosts.Start(metrics, _stageNames[i]);
            await handler.HandleAsync(batch, cancellationToken);
            cost.Stop();
        }

        if (!committed)
        {
            await CommitAsync(batch, cancellationToken);
        }

        Debug.Assert(batch.Items.All(i => i.Outcome != IngestOutcome.Pending), "every item must have an outcome");
    }
}
