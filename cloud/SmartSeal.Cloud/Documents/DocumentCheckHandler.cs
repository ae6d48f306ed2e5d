using System.Threading.Channels;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Documents;

/// <summary>A "before" or "after" photo of a lock attempt, complete and stored, waiting for its document check.</summary>
public sealed record PagePhotoArrived(string DeviceId, string PhotoId, string AttemptId, string Sha256, long CompletedMs, string Purpose)
{
    public bool IsAfter => Purpose == "after";
}

/// <summary>
/// After commit: finds the "before" and "after" photos that the batch's manifests and chunks completed
/// (Photos/ records a photo in <see cref="PhotoCatalog"/> when it is whole) and, unless already checked,
/// queues them for <see cref="DocumentCheckWorker"/> (before: the page check; after: the after-stamp check).
/// OCR takes a second or more, so it never runs in the ingest path.
/// </summary>
public sealed class DocumentCheckHandler(Database database, PhotoCatalog catalog, Channel<PagePhotoArrived> queue) : IIngestHandler
{
    public IngestStage Stage => IngestStage.AfterCommit;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var parts = new HashSet<(string Device, string Photo)>();
        foreach (IngestItem item in batch.Items)
        {
            if (item.Outcome != IngestOutcome.Stored || item.DeviceId is null)
            {
                continue;
            }

            string? photo = item.Body switch
            {
                PhotoManifestBody manifest => manifest.PhotoId,
                PhotoChunkBody chunk => chunk.PhotoId,
                _ => null,
            };
            if (photo != null)
            {
                parts.Add((item.DeviceId, photo));
            }
        }

        var completed = new List<PagePhotoArrived>();
        foreach (IGrouping<string, (string Device, string Photo)> device in parts.GroupBy(p => p.Device, StringComparer.Ordinal))
        {
            foreach (PhotoView stored in await catalog.DevicePhotosAsync(device.Key, device.Select(p => p.Photo).ToArray(), cancellationToken))
            {
                if (stored is { AttemptId: { } attempt, Purpose: "before" or "after", IsClip: false })
                {
                    completed.Add(new PagePhotoArrived(stored.DeviceId, stored.PhotoId, attempt, stored.Sha256, stored.ServerMs, stored.Purpose));
                }
            }
        }

        if (completed.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (PagePhotoArrived arrived in completed)
        {
            if (!await DocumentStore.IsCheckedAsync(arrived.DeviceId, arrived.PhotoId, arrived.IsAfter, connection))
            {
                await queue.Writer.WriteAsync(arrived, cancellationToken);
            }
        }
    }
}
