namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>Last: tells in-process listeners about every record stored for the first time.</summary>
public sealed class NotifyHandler(DeviceEventFeed feed) : IIngestHandler
{
    public IngestStage Stage => IngestStage.AfterCommit;

    public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach (IngestItem item in batch.Where(IngestOutcome.Stored))
        {
            feed.Publish(new DeviceEvent(item.DeviceId!, item.Envelope.Seq, item.Envelope.Type, item.Body!, item.Envelope.Time, batch.ServerMs));
        }

        return Task.CompletedTask;
    }
}
