using System.Globalization;
using OpenCvSharp;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>
/// A legacy seal's impression from the keeper's scan: the cleaned image (ink on transparency, see
/// <see cref="ImpressionScanCleaner"/>) at the physical size the keeper gave. The sealing draws it
/// as an image XObject with a soft mask (<see cref="Planes"/>); the portal shows it as SVG.
/// </summary>
public sealed class ScannedImpression(string scanId, byte[] png, int widthPx, int heightPx, double widthMm, double heightMm) : IImpression
{
    private const double PointsPerMm = 72 / 25.4;

    public string ScanId { get; } = scanId;

    /// <summary>The cleaned image (PNG, 8-bit BGRA).</summary>
    public byte[] Png { get; } = png;

    public int WidthPx { get; } = widthPx;

    public int HeightPx { get; } = heightPx;

    public double WidthMm { get; } = widthMm;

    public double HeightMm { get; } = heightMm;

    public double WidthPoints => WidthMm * PointsPerMm;

    public double HeightPoints => HeightMm * PointsPerMm;

    public string ToSvg() => string.Create(
        CultureInfo.InvariantCulture,
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WidthMm:0.###}mm\" height=\"{HeightMm:0.###}mm\" viewBox=\"0 0 {WidthPx} {HeightPx}\"><image width=\"{WidthPx}\" height=\"{HeightPx}\" href=\"data:image/png;base64,{Convert.ToBase64String(Png)}\"/></svg>");

    /// <summary>The colour (RGB, top row first) and the alpha (one byte a pixel) as PDF image samples need them.</summary>
    public (byte[] Rgb, byte[] Alpha) Planes()
    {
        using Mat bgra = Cv2.ImDecode(Png, ImreadModes.Unchanged);
        if (bgra.Empty() || bgra.Channels() != 4)
        {
            throw new InvalidOperationException($"impression scan {ScanId}: the cleaned image is not 8-bit BGRA");
        }

        using Mat rgb = new();
        Cv2.CvtColor(bgra, rgb, ColorConversionCodes.BGRA2RGB);
        using Mat alpha = new();
        Cv2.ExtractChannel(bgra, alpha, 3);
        return (Bytes(rgb), Bytes(alpha));
    }

    /// <summary>The samples of a freshly allocated (so continuous) matrix.</summary>
    private static byte[] Bytes(Mat mat)
    {
        var bytes = new byte[mat.Total() * mat.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(mat.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
