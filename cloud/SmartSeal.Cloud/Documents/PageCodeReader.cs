using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// A photo decoded for the check: the page code found in it (if any) with its corners in the photo
/// scaled to <c>ocrMaxWidth</c> (what <see cref="PagePicture"/> rectifies from), and a grey upright image for OCR.
/// </summary>
public sealed record DecodedPhoto(string? CodeText, byte[] OcrPng, int Width, int Height, Point2f[]? CodeCorners = null)
{
    /// <summary>The affine map (2×3, row-major) from the OCR image back to the scaled photo: where an OCR word is in the photo.</summary>
    public double[] OcrToPhoto { get; init; } = [1, 0, 0, 0, 1, 0];
}

/// <summary>
/// Finds and reads the QR page code in a photo (OpenCV's WeChat reader, then its plain
/// <see cref="QRCodeDetector"/> on the photo as it is, sharpened and binarised), then each quadrant
/// enlarged: the code is small in a page-sized photo (about 3-4 px per module). Also prepares the
/// grey, upright image the OCR reads.
/// </summary>
public static class PageCodeReader
{
    public static DecodedPhoto Decode(byte[] image, int ocrMaxWidth)
    {
        using Mat grey = Cv2.ImDecode(image, ImreadModes.Grayscale);
        if (grey.Empty())
        {
            throw new ArgumentException("the photo is not an image OpenCV can decode");
        }

        using Mat scaled = ScaleDown(grey, ocrMaxWidth);
        (string Text, Point2f[] Corners)? code = FindCode(scaled);
        if (code is null)
        {
            Cv2.ImEncode(".png", scaled, out byte[] asIs);
            return new DecodedPhoto(null, asIs, scaled.Width, scaled.Height);
        }

        using Mat upright = Upright(scaled, code.Value.Corners, out double[] back);
        Cv2.ImEncode(".png", upright, out byte[] png);
        return new DecodedPhoto(code.Value.Text, png, upright.Width, upright.Height, code.Value.Corners) { OcrToPhoto = back };
    }

    /// <summary>
    /// Turns the photo so the code's top edge is level: the code is printed square to the page, so
    /// this straightens the text for the OCR whichever way the page lies (any angle, even upside down).
    /// </summary>
    private static Mat Upright(Mat grey, Point2f[] corners, out double[] back)
    {
        double angle = Math.Atan2(corners[1].Y - corners[0].Y, corners[1].X - corners[0].X) * 180 / Math.PI;
        var upright = new Mat();
        back = [1, 0, 0, 0, 1, 0];
        if (Math.Abs(angle) < 0.5)
        {
            grey.CopyTo(upright);
            return upright;
        }

        var centre = new Point2f(grey.Width / 2f, grey.Height / 2f);
        using Mat rotation = Cv2.GetRotationMatrix2D(centre, angle, 1);
        double cos = Math.Abs(rotation.At<double>(0, 0)), sin = Math.Abs(rotation.At<double>(0, 1));
        int width = (int)(grey.Height * sin + grey.Width * cos), height = (int)(grey.Height * cos + grey.Width * sin);
        rotation.Set(0, 2, rotation.At<double>(0, 2) + width / 2.0 - centre.X);
        rotation.Set(1, 2, rotation.At<double>(1, 2) + height / 2.0 - centre.Y);
        Cv2.WarpAffine(grey, upright, rotation, new Size(width, height), InterpolationFlags.Linear, BorderTypes.Replicate);
        using var inverse = new Mat();
        Cv2.InvertAffineTransform(rotation, inverse);
        back = [inverse.At<double>(0, 0), inverse.At<double>(0, 1), inverse.At<double>(0, 2), inverse.At<double>(1, 0), inverse.At<double>(1, 1), inverse.At<double>(1, 2)];
        return upright;
    }

    internal static Mat ScaleDown(Mat grey, int maxWidth)
    {
        if (grey.Width <= maxWidth)
        {
            return grey.Clone();
        }

        var scaled = new Mat();
        Cv2.Resize(grey, scaled, new Size(maxWidth, (int)Math.Round(grey.Height * (double)maxWidth / grey.Width)), 0, 0, InterpolationFlags.Area);
        return scaled;
    }

    internal static (string Text, Point2f[] Corners)? FindCode(Mat grey)
    {
        if ((FindWithWeChat(grey) ?? FindIn(grey)) is { } whole)
        {
            return whole;
        }

        int halfW = grey.Width / 2, halfH = grey.Height / 2;
        // Bottom corners first: the approved copy prefers them.
        foreach (var (x, y) in new[] { (halfW, halfH), (0, halfH), (halfW, 0), (0, 0) })
        {
            using var quadrant = new Mat(grey, new Rect(x, y, grey.Width - halfW, grey.Height - halfH));
            using var enlarged = new Mat();
            Cv2.Resize(quadrant, enlarged, new Size(0, 0), Enlarge, Enlarge, InterpolationFlags.Cubic);
            if (FindWithWeChat(enlarged) is { } found)
            {
                return (found.Item1, found.Item2.Select(p => new Point2f(x + p.X / Enlarge, y + p.Y / Enlarge)).ToArray());
            }
        }

        return null;
    }

    private const float Enlarge = 2f;

    /// <summary>
    /// OpenCV's WeChat QR reader without its CNN models (none are shipped): classic detection with
    /// ZXing's binarizers, which reads small, blurred codes the plain detector misses.
    /// </summary>
    private static (string, Point2f[])? FindWithWeChat(Mat grey)
    {
        using var reader = new WeChatQRCode(string.Empty, string.Empty, string.Empty, string.Empty);
        string[] texts = reader.DetectAndDecode(grey, out Point2f[][] corners);
        for (int i = 0; i < texts.Length; i++)
        {
            if (!string.IsNullOrEmpty(texts[i]) && i < corners.Length && corners[i].Length == 4)
            {
                return (texts[i], corners[i]);
            }
        }

        return null;
    }

    private static (string, Point2f[])? FindIn(Mat grey)
    {
        using var detector = new QRCodeDetector();
        if (TryDecode(detector, grey) is { } plain)
        {
            return plain;
        }

        using var sharpened = new Mat();
        using (var blurred = new Mat())
        {
            Cv2.GaussianBlur(grey, blurred, new Size(0, 0), 2);
            Cv2.AddWeighted(grey, 1.8, blurred, -0.8, 0, sharpened);
        }

        if (TryDecode(detector, sharpened) is { } sharp)
        {
            return sharp;
        }

        using var binary = new Mat();
        Cv2.AdaptiveThreshold(sharpened, binary, 255, AdaptiveThresholdTypes.GaussianC, ThresholdTypes.Binary, 51, 10);
        return TryDecode(detector, binary);
    }

    private static (string, Point2f[])? TryDecode(QRCodeDetector detector, Mat image)
    {
        string text = detector.DetectAndDecode(image, out Point2f[] corners);
        return string.IsNullOrEmpty(text) || corners.Length != 4 ? null : (text, corners);
    }
}
