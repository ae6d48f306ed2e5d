using OpenCvSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// A JPEG or PNG upload is one page: it becomes a one-page PDF (the image at A4 width, with a blank
/// band below it where the page code goes, so the code never covers the scan), and the OCR of the
/// image is the page's reference text (a picture has no text layer).
/// </summary>
public static class ImageDocument
{
    /// <summary>Room under the image for the code square (<see cref="CodeCorner"/> inset + size + clearance).</summary>
    public const double CodeBand = 100;

    private const double PageWidth = 595; // A4, points

    /// <summary>Longest side a scan may have (a 600 dpi A3 page is ~10 000 px); bigger is a decompression bomb, not a scan.</summary>
    private const int MaxSide = 12_000;

    public static bool IsImage(byte[] content) =>
        (content.Length > 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        || (content.Length > 8 && content.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));

    /// <summary>The image, checked and re-encoded: a grey PNG at most <paramref name="ocrMaxWidth"/> wide for the OCR, and the page PDF.</summary>
    public static (byte[] OcrPng, byte[] Pdf) Prepare(byte[] image, int ocrMaxWidth)
    {
        if (!ReadSize(image, out int width, out int height) || width > MaxSide || height > MaxSide)
        {
            throw new UnusablePdfException($"the image cannot be read or is larger than {MaxSide} px a side");
        }

        using Mat colour = Cv2.ImDecode(image, ImreadModes.Color);
        if (colour.Empty())
        {
            throw new UnusablePdfException("the image cannot be decoded (damaged JPEG/PNG)");
        }

        using Mat grey = new();
        Cv2.CvtColor(colour, grey, ColorConversionCodes.BGR2GRAY);
        double scale = Math.Min(1.0, (double)Math.Max(ocrMaxWidth, 2000) / grey.Width);
        using Mat scaled = new();
        Cv2.Resize(grey, scaled, new Size(0, 0), scale, scale, InterpolationFlags.Area);
        Cv2.ImEncode(".png", scaled, out byte[] ocrPng);

        // Re-encoded by OpenCV as a baseline JPEG: whatever the upload's variant, PDFsharp embeds it.
        Cv2.ImEncode(".jpg", colour, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        using var document = new PdfDocument();
        PdfPage page = document.AddPage();
        double imageHeight = PageWidth * colour.Height / colour.Width;
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(imageHeight + CodeBand);
        using (XGraphics graphics = XGraphics.FromPdfPage(page))
        using (var stream = new MemoryStream(jpeg))
        using (XImage picture = XImage.FromStream(stream))
        {
            graphics.DrawImage(picture, 0, 0, PageWidth, imageHeight);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return (ocrPng, output.ToArray());
    }

    /// <summary>Width and height from the header, before decoding anything (OpenCV would allocate the whole bitmap).</summary>
    private static bool ReadSize(byte[] image, out int width, out int height)
    {
        width = height = 0;
        if (image[0] == 0x89)
        {
            if (image.Length < 24)
            {
                return false;
            }

            width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16));
            height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20));
            return width > 0 && height > 0;
        }

        // JPEG: walk the segments to the first start-of-frame.
        int i = 2;
        while (i + 9 < image.Length)
        {
            if (image[i] != 0xFF)
            {
                return false;
            }

            byte marker = image[i + 1];
            int length = (image[i + 2] << 8) | image[i + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                height = (image[i + 5] << 8) | image[i + 6];
                width = (image[i + 7] << 8) | image[i + 8];
                return width > 0 && height > 0;
            }

            i += 2 + length;
        }

        return false;
    }
}
