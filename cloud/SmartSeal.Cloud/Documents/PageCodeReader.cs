using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>A photo decoded for the check: the page code found in it (if any) and a grey image for OCR.</summary>
public sealed record DecodedPhoto(string? CodeText, byte[] OcrPng, int Width, int Height);

/// <summary>
/// Finds and reads the QR page code in a photo with OpenCV's <see cref="QRCodeDetector"/>, trying
/// the photo as it is, then sharpened and binarised versions (blur and uneven light defeat the
/// plain detector first), and prepares the grey image the OCR reads.
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
        string? code = FindCode(scaled) ?? (scaled.Width != grey.Width ? FindCode(grey) : null);
        Cv2.ImEncode(".png", scaled, out byte[] png);
        return new DecodedPhoto(code, png, scaled.Width, scaled.Height);
    }

    private static Mat ScaleDown(Mat grey, int maxWidth)
    {
        if (grey.Width <= maxWidth)
        {
            return grey.Clone();
        }

        var scaled = new Mat();
        Cv2.Resize(grey, scaled, new Size(maxWidth, (int)Math.Round(grey.Height * (double)maxWidth / grey.Width)), 0, 0, InterpolationFlags.Area);
        return scaled;
    }

    private static string? FindCode(Mat grey)
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

    private static string? TryDecode(QRCodeDetector detector, Mat image)
    {
        string text = detector.DetectAndDecode(image, out _);
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
