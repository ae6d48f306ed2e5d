namespace SmartSeal.Cloud.Photos;

/// <summary>One row of <c>photo_uploads</c>: a photo being received, or the outcome of one.</summary>
public sealed class PhotoUpload
{
    public const string Columns = """
        device_id AS DeviceId, photo_id AS PhotoId, status AS Status, purpose AS Purpose, attempt_id AS AttemptId,
        size AS Size, chunk_size AS ChunkSize, chunk_count AS ChunkCount, mac AS Mac, manifest_seq AS ManifestSeq,
        device_ms AS DeviceMs, chunks_received AS ChunksReceived, bytes_received AS BytesReceived,
        started_ms AS StartedMs, last_ms AS LastMs, closed_ms AS ClosedMs, sha256 AS Sha256, reason AS Reason, media AS Media
        """;

    public string DeviceId { get; set; } = string.Empty;

    public string PhotoId { get; set; } = string.Empty;

    public string Status { get; set; } = PhotoUploadStatus.Receiving;

    public string? Purpose { get; set; }

    public string? AttemptId { get; set; }

    public int? Size { get; set; }

    public int? ChunkSize { get; set; }

    public int? ChunkCount { get; set; }

    public string? Mac { get; set; }

    public long? ManifestSeq { get; set; }

    public long? DeviceMs { get; set; }

    public int ChunksReceived { get; set; }

    public long BytesReceived { get; set; }

    public long StartedMs { get; set; }

    public long LastMs { get; set; }

    public long? ClosedMs { get; set; }

    public string? Sha256 { get; set; }

    public string? Reason { get; set; }

    /// <summary><see cref="PhotoMedia.Jpeg"/> or <see cref="PhotoMedia.Mp4"/> (a stamping-video clip), from the manifest.</summary>
    public string Media { get; set; } = PhotoMedia.Jpeg;

    public bool HasManifest => Size is not null;

    public bool IsOpen => Status == PhotoUploadStatus.Receiving;

    /// <summary>Every chunk the manifest announced is here (the photo can be checked and stored).</summary>
    public bool IsComplete => HasManifest && ChunksReceived >= ChunkCount;

    /// <summary>The byte length chunk <paramref name="index"/> must have, per the manifest.</summary>
    public int ExpectedChunkLength(int index) => Math.Min(ChunkSize!.Value, Size!.Value - (index * ChunkSize.Value));
}

public static class PhotoUploadStatus
{
    public const string Receiving = "receiving";
    public const string Stored = "stored";
    public const string Refused = "refused";
    public const string Expired = "expired";
}
