using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Rebuilds photos from their parts, durably. Every state change is a row in the caller's
/// transaction (the ingest batch's, or the sweep's), so a cloud restart between two chunks loses
/// nothing and two cloud instances receiving chunks of one photo agree on when it is complete
/// (the chunk counter is one <c>UPDATE … RETURNING</c> on the upload row, which serialises them).
/// <para>
/// Chunk bytes are not copied: a chunk is stored and acknowledged as a <c>device_messages</c> row
/// before this runs, so <c>photo_chunks</c> only records which (device, seq) holds which index,
/// and completion reads those rows back. That keeps one durable copy of the bytes while the photo
/// is incomplete and makes the chunk index a small fixed-size table.
/// </para>
/// Outcomes: stored (content-addressed, once per SHA-256, plus a reference per device photo id),
/// or refused/expired with a <c>refused_messages</c> record, a warning and an alarm — never silent.
/// </summary>
public sealed class PhotoAssembly(
    IPhotoStore store,
    DeviceKeyring keys,
    AlarmService alarms,
    IOptions<PhotoOptions> options,
    ILogger<PhotoAssembly> logger)
{
    private readonly PhotoOptions _options = options.Value;

    /// <summary>A manifest stored for the first time.</summary>
    public async Task OnManifestAsync(PhotoPart part, PhotoManifestBody manifest, CancellationToken cancellationToken)
    {
        PhotoUpload? upload = await FindAsync(part, manifest.PhotoId);
        string mac = manifest.Mac is null ? string.Empty : Convert.ToHexStringLower(manifest.Mac);
        if (upload is { IsOpen: false })
        {
            if (upload.Mac != mac)
            {
                await RefuseAsync(part, upload, PhotoRefusals.IdReused, $"new manifest for {upload.Status} photo {manifest.PhotoId}", AlarmTypes.PhotoRefused, closeUpload: false);
            }

            return;
        }

        if (upload is { HasManifest: true })
        {
            if (upload.Mac != mac || upload.Size != manifest.Size || upload.ChunkSize != manifest.ChunkSize)
            {
                await RefuseAsync(part, upload, PhotoRefusals.BadManifest, "a second manifest contradicts the first", AlarmTypes.PhotoRefused);
            }

            return;
        }

        upload = await part.Connection.QuerySingleAsync<PhotoUpload>(
            $"""
            INSERT INTO photo_uploads (device_id, photo_id, status, purpose, attempt_id, size, chunk_size, chunk_count, mac, manifest_seq, device_ms, started_ms, last_ms, media)
            VALUES (@DeviceId, @PhotoId, '{PhotoUploadStatus.Receiving}', @Purpose, @AttemptId, @Size, @ChunkSize, @ChunkCount, @Mac, @Seq, @DeviceMs, @Now, @Now, @Media)
            ON CONFLICT (device_id, photo_id) DO UPDATE SET purpose = excluded.purpose, attempt_id = excluded.attempt_id, size = excluded.size, media = excluded.media,
                chunk_size = excluded.chunk_size, chunk_count = excluded.chunk_count, mac = excluded.mac, manifest_seq = excluded.manifest_seq,
                device_ms = excluded.device_ms, last_ms = excluded.last_ms
            RETURNING {PhotoUpload.Columns}
            """,
            new
            {
                part.DeviceId, manifest.PhotoId, Purpose = PurposeName(manifest.Purpose), manifest.AttemptId, manifest.Size, manifest.ChunkSize,
                manifest.ChunkCount, Mac = mac, part.Seq, part.DeviceMs, Now = part.ServerMs, Media = PhotoMedia.Of(manifest.Media),
            },
            part.Transaction);

        string? problem = CheckManifest(manifest, out string reason);
        if (problem is null)
        {
            problem = await CheckReceivedChunksAsync(part, upload);
            reason = PhotoRefusals.BadChunk;
        }

        if (problem != null)
        {
            await RefuseAsync(part, upload, reason, problem, AlarmTypes.PhotoRefused);
            return;
        }

        if (upload.IsComplete)
        {
            await CompleteAsync(part, upload, cancellationToken);
        }
    }

    /// <summary>A chunk stored for the first time (its bytes are in <c>device_messages</c> at (device, seq)).</summary>
    public async Task OnChunkAsync(PhotoPart part, PhotoChunkBody chunk, CancellationToken cancellationToken)
    {
        PhotoUpload? upload = await FindAsync(part, chunk.PhotoId);
        if (upload is { IsOpen: false })
        {
            // The refusal or expiry was recorded when the upload closed; later parts change nothing.
            logger.LogDebug("Ignoring chunk {Index} of {Status} photo {Photo} from {Device}", chunk.Index, upload.Status, chunk.PhotoId, part.DeviceId);
            return;
        }

        upload ??= await part.Connection.QuerySingleAsync<PhotoUpload>(
            $"""
            INSERT INTO photo_uploads (device_id, photo_id, status, started_ms, last_ms)
            VALUES (@DeviceId, @PhotoId, '{PhotoUploadStatus.Receiving}', @Now, @Now)
            ON CONFLICT (device_id, photo_id) DO UPDATE SET last_ms = excluded.last_ms
            RETURNING {PhotoUpload.Columns}
            """,
            new { part.DeviceId, chunk.PhotoId, Now = part.ServerMs },
            part.Transaction);

        int length = chunk.Data?.Length ?? 0;
        if (upload.HasManifest ? chunk.Index >= upload.ChunkCount || length != upload.ExpectedChunkLength(chunk.Index) : chunk.Index >= _options.MaxChunks || length == 0)
        {
            await RefuseAsync(part, upload, PhotoRefusals.BadChunk, $"chunk {chunk.Index} of {length} bytes does not fit the manifest", AlarmTypes.PhotoRefused);
            return;
        }

        int inserted = await part.Connection.ExecuteAsync(
            """
            INSERT INTO photo_chunks (device_id, photo_id, chunk_index, seq, bytes) VALUES (@DeviceId, @PhotoId, @Index, @Seq, @Length)
            ON CONFLICT (device_id, photo_id, chunk_index) DO NOTHING
            """,
            new { part.DeviceId, chunk.PhotoId, chunk.Index, part.Seq, Length = length },
            part.Transaction);
        if (inserted == 0)
        {
            // The same index under another seq (the device re-sent the photo): harmless if identical.
            if (!(await ReadChunkAsync(part, upload, chunk.Index)).AsSpan().SequenceEqual(chunk.Data))
            {
                await RefuseAsync(part, upload, PhotoRefusals.ConflictingChunk, $"chunk {chunk.Index} arrived twice with different bytes", AlarmTypes.PhotoRefused);
            }

            return;
        }

        upload = await part.Connection.QuerySingleOrDefaultAsync<PhotoUpload>(
            $"""
            UPDATE photo_uploads SET chunks_received = chunks_received + 1, bytes_received = bytes_received + @Length, last_ms = @Now
            WHERE device_id = @DeviceId AND photo_id = @PhotoId AND status = '{PhotoUploadStatus.Receiving}'
            RETURNING {PhotoUpload.Columns}
            """,
            new { part.DeviceId, chunk.PhotoId, Length = length, Now = part.ServerMs },
            part.Transaction);
        if (upload is null)
        {
            // Closed by another instance while this batch waited for the row: the chunk is not needed.
            await DeleteChunksAsync(part, chunk.PhotoId);
            return;
        }

        if (upload.BytesReceived > _options.EffectiveMaxPhotoBytes || upload.ChunksReceived > _options.MaxChunks)
        {
            await RefuseAsync(part, upload, PhotoRefusals.TooLarge, $"{upload.ChunksReceived} chunks, {upload.BytesReceived} bytes without a manifest that allows them", AlarmTypes.PhotoRefused);
            return;
        }

        if (upload.IsComplete)
        {
            await CompleteAsync(part, upload, cancellationToken);
        }
    }

    /// <summary>
    /// Closes uploads with no new part since <paramref name="cutoffMs"/> (recorded, alarmed). Uploads
    /// with every chunk present are not expired: they only wait for the store (see <see cref="RetryCompletionsAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<PhotoUpload>> ExpireAsync(DbConnection connection, DbTransaction transaction, long cutoffMs, long nowMs)
    {
        var expired = (await connection.QueryAsync<PhotoUpload>(
            $"""
            UPDATE photo_uploads SET status = '{PhotoUploadStatus.Expired}', reason = '{PhotoRefusals.Incomplete}', closed_ms = @Now
            WHERE status = '{PhotoUploadStatus.Receiving}' AND last_ms < @Cutoff AND (chunk_count IS NULL OR chunks_received < chunk_count)
            RETURNING {PhotoUpload.Columns}
            """,
            new { Cutoff = cutoffMs, Now = nowMs },
            transaction)).ToList();
        foreach (PhotoUpload upload in expired)
        {
            var part = new PhotoPart(connection, transaction, upload.DeviceId, 0, upload.ManifestSeq ?? 0, upload.DeviceMs ?? 0, nowMs);
            string detail = upload.HasManifest
                ? $"photo {upload.PhotoId}: {upload.ChunksReceived} of {upload.ChunkCount} chunks after {TimeSpan.FromMilliseconds(nowMs - upload.StartedMs):g}"
                : $"photo {upload.PhotoId}: {upload.ChunksReceived} chunks and no manifest after {TimeSpan.FromMilliseconds(nowMs - upload.StartedMs):g}";
            await RefuseAsync(part, upload, PhotoRefusals.Incomplete, detail, AlarmTypes.PhotoIncomplete, closeUpload: false);
            await DeleteChunksAsync(part, upload.PhotoId);
        }

        return expired;
    }

    /// <summary>Finishes uploads that have every chunk but could not be stored earlier (the photo store was unreachable).</summary>
    public async Task<int> RetryCompletionsAsync(DbConnection connection, DbTransaction transaction, Func<string, Task<int?>> keyVersionOf, long nowMs, CancellationToken cancellationToken)
    {
        var waiting = (await connection.QueryAsync<PhotoUpload>(
            $"""
            SELECT {PhotoUpload.Columns} FROM photo_uploads
            WHERE status = '{PhotoUploadStatus.Receiving}' AND chunk_count IS NOT NULL AND chunks_received >= chunk_count
            LIMIT 100
            """,
            transaction: transaction)).ToList();
        int stored = 0;
        foreach (PhotoUpload upload in waiting)
        {
            if (await keyVersionOf(upload.DeviceId) is not { } keyVersion)
            {
                continue;
            }

            var part = new PhotoPart(connection, transaction, upload.DeviceId, keyVersion, upload.ManifestSeq ?? 0, upload.DeviceMs ?? 0, nowMs);
            if (await CompleteAsync(part, upload, cancellationToken) == PhotoUploadStatus.Stored)
            {
                stored++;
            }
        }

        return stored;
    }

    private async Task<string> CompleteAsync(PhotoPart part, PhotoUpload upload, CancellationToken cancellationToken)
    {
        byte[]? jpeg = await AssembleAsync(part, upload);
        if (jpeg is null)
        {
            await RefuseAsync(part, upload, PhotoRefusals.BadChunk, "stored chunks do not add up to the manifest", AlarmTypes.PhotoRefused);
            return PhotoUploadStatus.Refused;
        }

        byte[] expectedMac = Convert.FromHexString(upload.Mac!);
        byte[] actualMac = SmartSeal.Protocol.Security.Mac.Compute(keys.KeyFor(part.DeviceId, part.KeyVersion), jpeg);
        if (!CryptographicOperations.FixedTimeEquals(actualMac, expectedMac))
        {
            await RefuseAsync(part, upload, PhotoRefusals.MacMismatch, $"HMAC of photo {upload.PhotoId} ({jpeg.Length} bytes) does not verify with {part.DeviceId}'s key v{part.KeyVersion}", AlarmTypes.ForgedMessage);
            return PhotoUploadStatus.Refused;
        }

        if (!PhotoMedia.LooksLike(upload.Media, jpeg))
        {
            (string reason, string what) = upload.Media == PhotoMedia.Mp4 ? (PhotoRefusals.NotMp4, "no MP4 'ftyp' box") : (PhotoRefusals.NotJpeg, "no JPEG start/end markers");
            await RefuseAsync(part, upload, reason, $"photo {upload.PhotoId} has {what}", AlarmTypes.PhotoRefused);
            return PhotoUploadStatus.Refused;
        }

        string sha256 = PhotoHash.Of(jpeg);
        try
        {
            // Before the rows: a committed photo row always has its bytes. (A failed commit can leave
            // an unreferenced object, which is harmless: the retry names the same object.)
            await store.PutAsync(sha256, PhotoVariant.Original, jpeg, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Photo store ({Store}) refused photo {Photo} of {Device}; the complete upload is kept and retried by the sweep", store.Describe(), upload.PhotoId, part.DeviceId);
            return PhotoUploadStatus.Receiving;
        }

        await part.Connection.ExecuteAsync(
            "INSERT INTO photos (sha256, bytes, created_ms, media) VALUES (@Sha256, @Bytes, @Now, @Media) ON CONFLICT (sha256) DO NOTHING",
            new { Sha256 = sha256, Bytes = jpeg.Length, Now = part.ServerMs, upload.Media },
            part.Transaction);
        await part.Connection.ExecuteAsync(
            """
            INSERT INTO photo_refs (device_id, photo_id, sha256, purpose, attempt_id, device_ms, server_ms)
            VALUES (@DeviceId, @PhotoId, @Sha256, @Purpose, @AttemptId, @DeviceMs, @Now)
            ON CONFLICT (device_id, photo_id) DO NOTHING
            """,
            new { upload.DeviceId, upload.PhotoId, Sha256 = sha256, upload.Purpose, upload.AttemptId, DeviceMs = upload.DeviceMs ?? 0, Now = part.ServerMs },
            part.Transaction);
        await part.Connection.ExecuteAsync(
            $"UPDATE photo_uploads SET status = '{PhotoUploadStatus.Stored}', sha256 = @Sha256, closed_ms = @Now WHERE device_id = @DeviceId AND photo_id = @PhotoId",
            new { Sha256 = sha256, Now = part.ServerMs, upload.DeviceId, upload.PhotoId },
            part.Transaction);
        await DeleteChunksAsync(part, upload.PhotoId);
        logger.LogInformation("Stored {Media} {Photo} of {Device} ({Bytes} bytes, {Purpose}, attempt {Attempt}) as {Sha256}", upload.Media, upload.PhotoId, part.DeviceId, jpeg.Length, upload.Purpose, upload.AttemptId, sha256);
        return PhotoUploadStatus.Stored;
    }

    /// <summary>The JPEG from the stored chunk messages, or null when they do not match the manifest.</summary>
    private static async Task<byte[]?> AssembleAsync(PhotoPart part, PhotoUpload upload)
    {
        var chunks = (await part.Connection.QueryAsync<(long Index, long Seq)>(
            "SELECT CAST(chunk_index AS BIGINT), seq FROM photo_chunks WHERE device_id = @DeviceId AND photo_id = @PhotoId ORDER BY chunk_index",
            new { upload.DeviceId, upload.PhotoId },
            part.Transaction)).ToList();
        IReadOnlyDictionary<long, string> bodies = await IngestStore.MessageBodiesAsync(part.Connection, part.Transaction, upload.DeviceId, chunks.Select(c => c.Seq).ToList());
        var rows = chunks.Where(c => bodies.ContainsKey(c.Seq)).Select(c => (c.Index, Body: bodies[c.Seq])).ToList();
        if (rows.Count != upload.ChunkCount)
        {
            return null;
        }

        byte[] jpeg = new byte[upload.Size!.Value];
        var chunk = new PhotoChunkBody();
        foreach ((long index, string body) in rows)
        {
            byte[] json = Encoding.UTF8.GetBytes(body);
            if (MessageCodec.DecodeBody(json, 0, json.Length, chunk, out _) != SmartSeal.Protocol.ProtocolError.None
                || chunk.Index != index || chunk.PhotoId != upload.PhotoId || chunk.Data.Length != upload.ExpectedChunkLength(chunk.Index))
            {
                return null;
            }

            chunk.Data.CopyTo(jpeg, chunk.Index * upload.ChunkSize!.Value);
        }

        return jpeg;
    }

    private static async Task<byte[]> ReadChunkAsync(PhotoPart part, PhotoUpload upload, int index)
    {
        long? seq = await part.Connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT seq FROM photo_chunks WHERE device_id = @DeviceId AND photo_id = @PhotoId AND chunk_index = @Index",
            new { upload.DeviceId, upload.PhotoId, Index = index },
            part.Transaction);
        string? body = seq is { } stored && (await IngestStore.MessageBodiesAsync(part.Connection, part.Transaction, upload.DeviceId, [stored])).TryGetValue(stored, out string? found) ? found : null;
        var chunk = new PhotoChunkBody();
        byte[] json = Encoding.UTF8.GetBytes(body ?? string.Empty);
        return MessageCodec.DecodeBody(json, 0, json.Length, chunk, out _) == SmartSeal.Protocol.ProtocolError.None ? chunk.Data : [];
    }

    /// <summary>Problems with the manifest itself; <paramref name="reason"/> says which refusal applies.</summary>
    private string? CheckManifest(PhotoManifestBody manifest, out string reason)
    {
        reason = PhotoRefusals.TooLarge;
        if (manifest.Size > _options.EffectiveMaxPhotoBytes)
        {
            return $"{manifest.Size} bytes announced, at most {_options.EffectiveMaxPhotoBytes} allowed";
        }

        if (manifest.ChunkCount > _options.MaxChunks)
        {
            return $"{manifest.ChunkCount} chunks announced, at most {_options.MaxChunks} allowed";
        }

        reason = PhotoRefusals.BadManifest;
        if (manifest.Size <= 0 || manifest.ChunkSize <= 0 || manifest.ChunkCount != (manifest.Size + manifest.ChunkSize - 1) / manifest.ChunkSize)
        {
            return $"size {manifest.Size} in chunks of {manifest.ChunkSize} is not {manifest.ChunkCount} chunks";
        }

        if (manifest.Mac is not { Length: SmartSeal.Protocol.Security.Mac.Length })
        {
            return "the MAC is not an HMAC-SHA256";
        }

        return null;
    }

    /// <summary>Chunks that arrived before the manifest must fit it.</summary>
    private static async Task<string?> CheckReceivedChunksAsync(PhotoPart part, PhotoUpload upload)
    {
        if (upload.ChunksReceived == 0)
        {
            return null;
        }

        foreach ((long index, long bytes) in await part.Connection.QueryAsync<(long, long)>(
            "SELECT CAST(chunk_index AS BIGINT), CAST(bytes AS BIGINT) FROM photo_chunks WHERE device_id = @DeviceId AND photo_id = @PhotoId",
            new { upload.DeviceId, upload.PhotoId },
            part.Transaction))
        {
            if (index >= upload.ChunkCount || bytes != upload.ExpectedChunkLength((int)index))
            {
                return $"chunk {index} of {bytes} bytes, received before the manifest, does not fit it";
            }
        }

        return null;
    }

    /// <summary>Records the refusal (evidence), raises the alarm and, unless told otherwise, closes the upload and drops its chunk index.</summary>
    private async Task RefuseAsync(PhotoPart part, PhotoUpload upload, string reason, string detail, string alarmType, bool closeUpload = true)
    {
        logger.LogWarning("Photo {Photo} of {Device} refused: {Reason} ({Detail})", upload.PhotoId, part.DeviceId, reason, detail);
        if (closeUpload)
        {
            await part.Connection.ExecuteAsync(
                $"UPDATE photo_uploads SET status = '{PhotoUploadStatus.Refused}', reason = @Reason, closed_ms = @Now WHERE device_id = @DeviceId AND photo_id = @PhotoId",
                new { Reason = reason, Now = part.ServerMs, upload.DeviceId, upload.PhotoId },
                part.Transaction);
            await DeleteChunksAsync(part, upload.PhotoId);
        }

        await IngestStore.RecordRefusalAsync(part.Connection, part.Transaction, part.DeviceId, DeviceTopics.For(part.DeviceId, TopicKind.Photos), reason, detail, upload.BytesReceived, part.ServerMs);
        await alarms.RaiseAsync(part.DeviceId, alarmType, 0, $"{reason}: {detail}", part.Connection, part.Transaction);
    }

    private static Task<PhotoUpload?> FindAsync(PhotoPart part, string photoId) => part.Connection.QuerySingleOrDefaultAsync<PhotoUpload>(
        $"SELECT {PhotoUpload.Columns} FROM photo_uploads WHERE device_id = @DeviceId AND photo_id = @PhotoId",
        new { part.DeviceId, PhotoId = photoId },
        part.Transaction);

    private static Task DeleteChunksAsync(PhotoPart part, string photoId) => part.Connection.ExecuteAsync(
        "DELETE FROM photo_chunks WHERE device_id = @DeviceId AND photo_id = @PhotoId",
        new { part.DeviceId, PhotoId = photoId },
        part.Transaction);

    private static string PurposeName(PhotoPurpose purpose) =>
        (int)purpose > 0 && (int)purpose < WireNames.PhotoPurposes.Length ? WireNames.PhotoPurposes[(int)purpose] : "unknown";
}

/// <summary>Where a photo part is handled: the transaction, the sending device and its key version, the part's seq and times.</summary>
public sealed record PhotoPart(DbConnection Connection, DbTransaction Transaction, string DeviceId, int KeyVersion, long Seq, long DeviceMs, long ServerMs);
