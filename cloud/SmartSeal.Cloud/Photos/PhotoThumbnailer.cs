using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Makes the portal's thumbnails with OpenCV (libjpeg-turbo inside): a JPEG <see cref="PhotoOptions.ThumbnailWidth"/>
/// pixels wide. Large photos are decoded at 1/2, 1/4 or 1/8 scale straight from the DCT
/// (<c>IMREAD_REDUCED_COLOR_n</c>), which is much cheaper than decoding fully and then shrinking.
/// </summary>
public sealed class PhotoThumbnailer(IOptions<PhotoOptions> options)
{
    private const int Quality = 80;

    private readonly PhotoOptions _options = options.Value;

    // Decoding is CPU and memory heavy: a portal page asking for fifty thumbnails at once gets them
    // a few at a time instead of fifty full-size bitmaps in memory together.
    private readonly SemaphoreSlim _gate = new(Math.Max(1, Environment.ProcessorCount));

    /// <summary><see cref="Create"/> with at most one decode per core at a time.</summary>
    public async Task<byte[]?> CreateAsync(byte[] jpeg, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return Create(jpeg);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The thumbnail, or null when the bytes are not a JPEG OpenCV can decode or declare too many pixels.</summary>
    public byte[]? Create(byte[] jpeg)
    {
        if (!JpegFormat.HasJpegFrame(jpeg) || !JpegFormat.TryReadSize(jpeg, out int width, out int height)
            || (long)width * height > _options.MaxThumbnailSourcePixels)
        {
            return null;
        }

        int target = Math.Max(16, _options.ThumbnailWidth);
        using Mat decoded = Cv2.ImDecode(jpeg, ReducedDecodeMode(width, target));
        if (decoded.Empty())
        {
            return null;
        }

        using var resized = new Mat();
        Mat output = decoded;
        if (decoded.Width > target)
        {
            int targetHeight = Math.Max(1, (int)Math.Round((double)decoded.Height * target / decoded.Width));
            Cv2.Resize(decoded, resized, new Size(target, targetHeight), 0, 0, InterpolationFlags.Area);
            output = resized;
        }

        Cv2.ImEncode(".jpg", output, out byte[] thumbnail, new ImageEncodingParam(ImwriteFlags.JpegQuality, Quality));
        return thumbnail.Length > 0 ? thumbnail : null;
    }

    /// <summary>The largest DCT reduction that still leaves at least the target width.</summary>
    private static ImreadModes ReducedDecodeMode(int width, int target) =>
        width / 8 >= target ? ImreadModes.ReducedColor8
        : width / 4 >= target ? ImreadModes.ReducedColor4
        : width / 2 >= target ? ImreadModes.ReducedColor2
        : ImreadModes.Color;
}
