namespace SmartSeal.Cloud.Photos;

/// <summary>Why a photo upload was closed without a stored photo (the <c>reason</c> in <c>refused_messages</c> and <c>photo_uploads</c>).</summary>
public static class PhotoRefusals
{
    /// <summary>The manifest announces more bytes or chunks than allowed, or parts without a manifest add up to too much.</summary>
    public const string TooLarge = "photo-too-large";

    /// <summary>The manifest's size, chunking or MAC length are inconsistent, or a second manifest contradicts the first.</summary>
    public const string BadManifest = "photo-bad-manifest";

    /// <summary>A chunk outside the manifest or of the wrong length.</summary>
    public const string BadChunk = "photo-bad-chunk";

    /// <summary>The same chunk index arrived twice with different bytes.</summary>
    public const string ConflictingChunk = "photo-conflicting-chunk";

    /// <summary>All chunks arrived but HMAC(K_dev, jpeg) does not match the manifest: forged or corrupted.</summary>
    public const string MacMismatch = "photo-mac-mismatch";

    /// <summary>The assembled bytes are not a JPEG (no SOI/EOI).</summary>
    public const string NotJpeg = "photo-not-jpeg";

    /// <summary>The manifest announced an MP4 clip but the assembled bytes open with no <c>ftyp</c> box.</summary>
    public const string NotMp4 = "photo-not-mp4";

    /// <summary>No new part for longer than the timeout.</summary>
    public const string Incomplete = "photo-incomplete";

    /// <summary>A new manifest under the id of a photo that was already closed.</summary>
    public const string IdReused = "photo-id-reused";
}
