using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// Checks queued page photos and answers the lock with a signed <c>doc-verdict</c> command bound to
/// the attempt. The attempt's token is the device's newest live lock token (the lock holds one at a
/// time; the photo manifest names the attempt, not the token). Photos of attempts whose token binds
/// no documents get no verdict: the lock does not wait for one. After-photos of attempts that passed
/// the check are compared with their before-photo (<see cref="StampEvidenceChecker"/>); a mismatch
/// is stored and raises <see cref="AlarmTypes.StampEvidenceMismatch"/> for the auditor.
/// </summary>
public sealed class DocumentCheckWorker(
    Channel<PagePhotoArrived> queue,
    Database database,
    IPhotoStore photos,
    PhotoCatalog catalog,
    CheckoutDirectory checkouts,
    PagePhotoChecker checker,
    StampEvidenceChecker evidence,
    AlarmService alarms,
    CommandService commands,
    TimeProvider time,
    IOptions<DocumentOptions> options,
    ILogger<DocumentCheckWorker> logger) : BackgroundService
{
    /// <summary>The lock gives up after its verdict timeout (10 s); a later verdict is useless.</summary>
    private static readonly TimeSpan VerdictLifetime = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = stoppingToken },
            async (photo, ct) =>
            {
                try
                {
                    await (photo.IsAfter ? CheckAfterStampAsync(photo, ct) : CheckAsync(photo, ct));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The lock stays locked (no verdict → its own timeout refuses); the cloud goes on.
                    logger.LogWarning(e, "Document check of photo {Photo} from {Device} (attempt {Attempt}) failed", photo.PhotoId, photo.DeviceId, photo.AttemptId);
                }
            });

    public async Task CheckAsync(PagePhotoArrived photo, CancellationToken cancellationToken)
    {
        LockToken? token = await checkouts.LiveLockTokenAsync(photo.DeviceId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        string? tokenId = token?.Jti;
        string? applicationId = token?.ApplicationId;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (applicationId is null || (await DocumentStore.ForApplicationAsync(applicationId, connection, null)).Count == 0)
            {
                logger.LogDebug("Photo {Photo} from {Device}: no live lock token binding documents; no verdict", photo.PhotoId, photo.DeviceId);
                return;
            }
        }

        PageVerdict verdict;
        await using (Stream? stream = await photos.OpenReadAsync(photo.Sha256, PhotoVariant.Original, cancellationToken))
        {
            if (stream is null)
            {
                verdict = new PageVerdict(DocumentVerdictKind.Unreadable, null, 0, "the photo is not in the photo store", ["photo missing from the store"]);
            }
            else
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                verdict = await checker.CheckAsync(applicationId, buffer.ToArray(), cancellationToken);
            }
        }

        // From the photo's completion (its last part's ingest batch), queueing included: what the lock waits.
        long elapsed = Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - photo.CompletedMs);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            bool first = await DocumentStore.InsertVerdictAsync(
                new VerdictRecord
                {
                    DeviceId = photo.DeviceId, PhotoId = photo.PhotoId, AttemptId = photo.AttemptId, TokenId = tokenId, ApplicationId = applicationId,
                    DocumentId = verdict.DocumentId, Page = verdict.Page == 0 ? null : verdict.Page, Verdict = verdict.WireName,
                    Reasons = JsonSerializer.Serialize(verdict.Reasons), ElapsedMs = elapsed, CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                    DifferenceImage = verdict.DifferenceImage,
                },
                connection, null);
            if (!first)
            {
                return; // another instance decided this photo already
            }

            var body = new DocumentVerdictBody { AttemptId = photo.AttemptId, Verdict = verdict.Kind, DocumentId = verdict.DocumentId, Page = verdict.Page, Detail = verdict.Detail };
            CommandSendResult sent = await commands.SendAsync(photo.DeviceId, body, "document-check", VerdictLifetime, cancellationToken: cancellationToken);
            if (sent.Command is { } command)
            {
                await DocumentStore.SetCommandAsync(photo.DeviceId, photo.PhotoId, command.Id, connection);
            }

            logger.LogInformation(
                "Document verdict {Verdict} for {Device} attempt {Attempt} (application {Application}, {Document} page {Page}) in {Elapsed} ms: {Reasons}; command {Send}",
                verdict.WireName, photo.DeviceId, photo.AttemptId, applicationId, verdict.DocumentId, verdict.Page, elapsed, string.Join("; ", verdict.Reasons), sent.Status);
        }
    }

    /// <summary>The after-photo of an attempt whose page passed: same page, now stamped?</summary>
    public async Task CheckAfterStampAsync(PagePhotoArrived photo, CancellationToken cancellationToken)
    {
        VerdictRecord? passed;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            passed = await DocumentStore.VerdictForAttemptAsync(photo.DeviceId, photo.AttemptId, connection);
            if (passed is not { Verdict: "ok", ApplicationId: { } applicationId, DocumentId: { }, Page: { } })
            {
                // No page check (no documents bound, or opened offline) or the lock did not open: nothing to compare with.
                logger.LogDebug("After-photo {Photo} of {Device} attempt {Attempt}: no passed page check; not compared", photo.PhotoId, photo.DeviceId, photo.AttemptId);
                return;
            }
        }

        string? beforeSha = (await catalog.DevicePhotosAsync(passed.DeviceId, [passed.PhotoId], cancellationToken)).SingleOrDefault()?.Sha256;
        byte[]? before = beforeSha is null ? null : await ReadPhotoAsync(beforeSha, cancellationToken);
        byte[]? after = await ReadPhotoAsync(photo.Sha256, cancellationToken);
        StampEvidence result = after is null
            ? new StampEvidence(StampEvidenceResult.Unreadable, ["the after-photo is not in the photo store"], 0, 0)
            : await evidence.CheckAsync(passed.ApplicationId, passed.DocumentId, passed.Page.Value, before, after, cancellationToken);

        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // The flag and its alarm commit together: an auditor never sees one without the other.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            bool first = await DocumentStore.InsertEvidenceAsync(
                new StampEvidenceRecord
                {
                    DeviceId = photo.DeviceId, AfterPhotoId = photo.PhotoId, AttemptId = photo.AttemptId, BeforePhotoId = passed.PhotoId, ApplicationId = passed.ApplicationId,
                    DocumentId = passed.DocumentId, Page = passed.Page, Result = result.WireName, Flagged = result.Flagged, Reasons = JsonSerializer.Serialize(result.Reasons),
                    InkBefore = result.InkBefore, InkAfter = result.InkAfter, CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                },
                connection, transaction);
            if (first && result.Flagged)
            {
                await alarms.RaiseAsync(photo.DeviceId, AlarmTypes.StampEvidenceMismatch, 0,
                    $"attempt {photo.AttemptId} ({passed.ApplicationId} {passed.DocumentId} page {passed.Page}): {result.WireName}: {result.Detail}", connection, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation(
            "After-stamp check {Result} for {Device} attempt {Attempt} ({Document} page {Page}): {Reasons}",
            result.WireName, photo.DeviceId, photo.AttemptId, passed.DocumentId, passed.Page, string.Join("; ", result.Reasons));
    }

    private async Task<byte[]?> ReadPhotoAsync(string sha256, CancellationToken cancellationToken)
    {
        await using Stream? stream = await photos.OpenReadAsync(sha256, PhotoVariant.Original, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
