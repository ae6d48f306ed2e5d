using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// What a stored photo holds: a JPEG still (every camera) or an MP4 clip (stamping video from a
/// cabinet with a video camera). Named in <c>photos.media</c> and <c>photo_uploads.media</c>.
/// </summary>
public static class PhotoMedia
{
    public const string Jpeg = "jpeg";

    public const string Mp4 = "mp4";

    /// <summary>The media a manifest announces (absent = JPEG, as before clips existed).</summary>
    public static string Of(MediaKind kind) => kind == MediaKind.Mp4 ? Mp4 : Jpeg;

    public static string ContentType(string media) => media == Mp4 ? "video/mp4" : "image/jpeg";

    public static string Extension(string media) => media == Mp4 ? ".mp4" : ".jpg";

    /// <summary>
    /// Cheap structural check before the bytes are kept: a JPEG's SOI/EOI, or an ISO base media
    /// file that opens with its <c>ftyp</c> box (what ffmpeg writes first, also with faststart).
    /// </summary>
    public static bool LooksLike(string media, ReadOnlySpan<byte> data) => media == Mp4
        ? data.Length >= 16 && data[4..8].SequenceEqual("ftyp"u8) && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data) is >= 8 and var size && size <= data.Length
        : JpegFormat.HasJpegFrame(data);
}
