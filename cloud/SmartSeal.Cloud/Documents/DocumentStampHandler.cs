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
        var stamps = new List<DocumentStore.StampRecord>();
        foreach ((IngestItem item, StampedBody body) in batch.Stored<StampedBody>())
        {
            if (body.DocumentId is null || body.Page < 1 || item.DeviceId is null)
            {
                continue;
            }

            Checkouts.IssuedToken? token = await Checkouts.UseTokenStore.FindInBatchAsync(body.TokenId, batch);
            stamps.Add(new DocumentStore.StampRecord(item.DeviceId, body.AttemptId, token?.ApplicationId, body.DocumentId, body.Page, item.Envelope.Time));
        }

        // All of the batch's stamps in a few statements (one per stamp was a round trip each on PostgreSQL).
        await DocumentStore.RecordStampsAsync(stamps, batch.Connection!, batch.Transaction, batch.Dialect, cancellationToken);
    }
}
