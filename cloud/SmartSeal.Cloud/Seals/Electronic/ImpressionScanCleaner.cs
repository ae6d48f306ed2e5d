using System.Buffers.Binary;
using OpenCvSharp;
using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>Why an uploaded scan was refused; the API maps each onto its status (415, 413, 400).</summary>
public enum ScanProblem
{
    /// <summary>Not a PNG or JPEG (by its first bytes, whatever its name says).</summary>
    UnsupportedType,

    /// <summary>Over the size limit.</summary>
    TooLarge,

    /// <summary>A PNG or JPEG that cannot be decoded, is too small or too large a picture, or shows no red ink.</summary>
    Unusable,
}

public sealed class ImpressionScanException(ScanProblem problem, string message) : Exception(message)
{
    public ScanProblem Problem { get; } = problem;
}

/// <summary>The ink of a scan on transparency (PNG, 8-bit BGRA), cropped to the ink.</summary>
public sealed record CleanedScan(byte[] Png, int WidthPx, int HeightPx, string ContentType);

/// <summary>
/// Turns a scan of a legacy seal's impression into an impression that stamps like a real one: the
/// paper becomes transparent and only the ink stays. Deterministic and simple on purpose: a pixel's
/// "redness" is R − max(G, B) (white paper and black print both score 0, seal ink scores high),
/// mapped linearly from <see cref="PaperRedness"/> (alpha 0) to <see cref="InkRedness"/> (alpha 255);
/// every pixel gets the ink's colour (the mean of the fully inked pixels), so the soft edges fade
/// into the page instead of leaving a pink halo. The picture is cropped to the ink (so the physical
/// size the keeper gives is the ink's size) and scaled down to at most <see cref="MaxOutputSide"/> px.
/// </summary>
public static class ImpressionScanCleaner
{
    /// <summary>Redness at or below which a pixel is paper (a warm paper tint, JPEG noise).</summary>
    public const int PaperRedness = 40;

    /// <summary>Redness at or above which a pixel is fully ink.</summary>
    public const int InkRedness = 120;

    public const int MinSide = 64;

    /// <summary>Longest side a scan may have: a 42 mm seal scanned at 1200 dpi is ~2 000 px; bigger is a decompression bomb, not a scan.</summary>
    public const int MaxSide = 6000;

    /// <summary>Longest side of the cleaned image: ~600 dpi at 42 mm, crisp in print, small in every sealed PDF.</summary>
    public const int MaxOutputSide = 1000;

    /// <summary>The least share of clearly inked pixels (per 10 000) before the scan counts as showing a red impression at all.</summary>
    public const int MinInkPerTenThousand = 50;

    public static CleanedScan Clean(byte[] upload)
    {
        string contentType = ContentTypeOf(upload)
            ?? throw new ImpressionScanException(ScanProblem.UnsupportedType, "the scan must be a PNG or JPEG image (its content is neither, whatever its name)");
        if (!ReadSize(upload, out int width, out int height))
        {
            throw new ImpressionScanException(ScanProblem.Unusable, "the image header cannot be read (damaged PNG/JPEG)");
        }

        if (width < MinSide || height < MinSide || width > MaxSide || height > MaxSide)
        {
            throw new ImpressionScanException(ScanProblem.Unusable, $"the scan is {width}×{height} px; it must be {MinSide}..{MaxSide} px a side");
        }

        using Mat colour = Cv2.ImDecode(upload, ImreadModes.Color);
        if (colour.Empty())
        {
            throw new ImpressionScanException(ScanProblem.Unusable, "the image cannot be decoded (damaged PNG/JPEG)");
        }

        using Mat alpha = InkAlpha(colour);
        using Mat inked = new();
        Cv2.Threshold(alpha, inked, 254, 255, ThresholdTypes.Binary);
        int strong = Cv2.CountNonZero(inked);
        if (strong * 10_000L < (long)MinInkPerTenThousand * colour.Width * colour.Height)
        {
            throw new ImpressionScanException(ScanProblem.Unusable, "the scan shows no red seal ink (a seal impression is red on white paper)");
        }

        OpenCvSharp.Scalar ink = Cv2.Mean(colour, inked);
        using Mat any = new();
        Cv2.Threshold(alpha, any, 0, 255, ThresholdTypes.Binary);
        using Mat points = new();
        Cv2.FindNonZero(any, points);
        Rect box = Cv2.BoundingRect(points);

        using Mat cropped = new Mat(alpha, box).Clone();
        using Mat bgra = new();
        using (Mat b = new(cropped.Size(), MatType.CV_8UC1, new OpenCvSharp.Scalar(ink.Val0)))
        using (Mat g = new(cropped.Size(), MatType.CV_8UC1, new OpenCvSharp.Scalar(ink.Val1)))
        using (Mat r = new(cropped.Size(), MatType.CV_8UC1, new OpenCvSharp.Scalar(ink.Val2)))
        {
            Cv2.Merge([b, g, r, cropped], bgra);
        }

        double scale = Math.Min(1.0, (double)MaxOutputSide / Math.Max(bgra.Width, bgra.Height));
        using Mat scaled = new();
        Cv2.Resize(bgra, scaled, new Size(Math.Max(1, (int)Math.Round(bgra.Width * scale)), Math.Max(1, (int)Math.Round(bgra.Height * scale))), 0, 0, InterpolationFlags.Area);
        Cv2.ImEncode(".png", scaled, out byte[] png);
        return new CleanedScan(png, scaled.Width, scaled.Height, contentType);
    }

    /// <summary>Alpha per pixel from redness R − max(G, B) (saturating at 0), scaled from paper (0) to ink (255).</summary>
    public static Mat InkAlpha(Mat bgr)
    {
        Mat[] channels = Cv2.Split(bgr);
        try
        {
            using Mat greenOrBlue = new();
            Cv2.Max(channels[0], channels[1], greenOrBlue);
            using Mat redness = new();
            Cv2.Subtract(channels[2], greenOrBlue, redness);
            Mat alpha = new();
            double gain = 255.0 / (InkRedness - PaperRedness);
            redness.ConvertTo(alpha, MatType.CV_8UC1, gain, -PaperRedness * gain); // the cast saturates to 0..255
            return alpha;
        }
        finally
        {
            foreach (Mat channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>image/png or image/jpeg from the first bytes; null for anything else.</summary>
    public static string? ContentTypeOf(byte[] content) =>
        content.Length > 8 && content.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : content.Length > 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF ? "image/jpeg"
        : null;

    /// <summary>Width and height from the header, before decoding anything (OpenCV would allocate the whole bitmap).</summary>
    private static bool ReadSize(byte[] image, out int width, out int height)
    {
        if (image[0] != 0x89)
        {
            return JpegFormat.TryReadSize(image, out width, out height);
        }

        width = height = 0;
        if (image.Length < 24)
        {
            return false;
        }

        width = BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16)); // IHDR, the first chunk
        height = BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20));
        return width > 0 && height > 0;
    }
}
