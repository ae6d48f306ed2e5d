using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// A lock's stamp on a checked page (the stamped event names the document and page its verdict
/// passed) counts towards that page's stamps, in the same transaction as the event: the page's
/// count is what locks reported, not what the check let through.
/// </summary>
public sealed class DocumentStampHandler : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        // One statement prepared for the batch and run per stamp (it was compiled anew for each).
        Storage.PreparedRowStatement? record = null;
        try
        {
            foreach ((IngestItem item, StampedBody body) in batch.Stored<StampedBody>())
            {
                if (body.DocumentId is null || body.Page < 1 || item.DeviceId is null)
                {
                    continue;
                }

                Checkouts.IssuedToken? token = await Checkouts.UseTokenStore.FindInBatchAsync(body.TokenId, batch);
                record ??= DocumentStore.PrepareRecordStamp(batch.Connection!, batch.Transaction);
                DocumentStore.SetRecordStamp(record, item.DeviceId, body.AttemptId, token?.ApplicationId, body.DocumentId, body.Page, item.Envelope.Time);
                await record.RunAsync(cancellationToken);
            }
        }
        finally
        {
            if (record != null)
            {
                await record.DisposeAsync();
            }
        }
    }
}
