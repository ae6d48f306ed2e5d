using System.Threading.Channels;
using Dapper;
using SmartSeal.Cloud.Ingest;
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
/// (Photos/ writes a <c>photo_refs</c> row when a photo is whole) and queues them for
/// <see cref="DocumentCheckWorker"/> (before: the page check; after: the after-stamp check). OCR takes a second or more, so it never runs in the ingest path.
/// </summary>
public sealed class DocumentCheckHandler(Database database, Channel<PagePhotoArrived> queue) : IIngestHandler
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

        if (parts.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach ((string device, string photo) in parts)
        {
            PagePhotoArrived? arrived = await connection.QuerySingleOrDefaultAsync<PagePhotoArrived>(
                """
                SELECT r.device_id AS DeviceId, r.photo_id AS PhotoId, r.attempt_id AS AttemptId, r.sha256 AS Sha256, r.server_ms AS CompletedMs, r.purpose AS Purpose
                FROM photo_refs r
                WHERE r.device_id = @device AND r.photo_id = @photo AND r.attempt_id IS NOT NULL
                  AND ((r.purpose = 'before' AND NOT EXISTS (SELECT 1 FROM document_verdicts v WHERE v.device_id = r.device_id AND v.photo_id = r.photo_id))
                    OR (r.purpose = 'after' AND NOT EXISTS (SELECT 1 FROM stamp_evidence_checks c WHERE c.device_id = r.device_id AND c.after_photo_id = r.photo_id)))
                """,
                new { device, photo });
            if (arrived != null)
            {
                await queue.Writer.WriteAsync(arrived, cancellationToken);
            }
        }
    }
}
