using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Ingest (after commit): a device reporting <c>status</c> online has applied its retained desired
/// state and subscribed to commands (CloudLink's order), so this is the moment to deliver what
/// was queued for it. Presence is committed by then, so the delivery sees the device online.
/// </summary>
public sealed class CommandDeliveryHandler(CommandDeliveryQueue queue) : IIngestHandler
{
    public IngestStage Stage => IngestStage.AfterCommit;

    public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach (IngestItem item in batch.Items)
        {
            if (item.Outcome == IngestOutcome.Presence && item.Body is StatusBody { Online: true })
            {
                queue.Enqueue(item.DeviceId!);
            }
        }

        return Task.CompletedTask;
    }
}
