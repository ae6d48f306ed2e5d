using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Domain stage: hands every newly stored photo manifest and chunk, in arrival order, to
/// <see cref="PhotoAssembly"/> inside the batch transaction. Parts are acknowledged to the device
/// like any stored message whatever becomes of the photo: a refused photo is the cloud's decision,
/// recorded and alarmed, and re-sending the same parts would not change it.
/// </summary>
public sealed class PhotoAssemblyHandler(PhotoAssembly assembly) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach (IngestItem item in batch.Items)
        {
            if (item.Outcome != IngestOutcome.Stored || item.Body is not (PhotoManifestBody or PhotoChunkBody))
            {
                continue;
            }

            var part = new PhotoPart(batch.Connection!, batch.Transaction!, item.DeviceId!, item.Device!.KeyVersion, item.Envelope.Seq, item.Envelope.Time, batch.ServerMs);
            if (item.Body is PhotoManifestBody manifest)
            {
                await assembly.OnManifestAsync(part, manifest, cancellationToken);
            }
            else
            {
                await assembly.OnChunkAsync(part, (PhotoChunkBody)item.Body, cancellationToken);
            }
        }
    }
}
