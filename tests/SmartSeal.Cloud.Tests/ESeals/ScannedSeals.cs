using OpenCvSharp;
using CvScalar = OpenCvSharp.Scalar;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// Scans of a legacy seal's impression, drawn with OpenCV as a scanner would see one: off-white
/// paper, a red ring with a red dot and red letters, and a line of black print inside the ring.
/// </summary>
public static class ScannedSeals
{
    public const int Side = 600;
    public const int Radius = 240;
    public const int Ring = 14;

    /// <summary>Paper (BGR): a warm off-white, as scanners see it.</summary>
    public static readonly CvScalar Paper = new(236, 241, 246);

    /// <summary>Seal ink (BGR).</summary>
    public static readonly CvScalar Ink = new(45, 35, 205);

    /// <summary>Where the black print runs (its start; inside the ring, below the centre).</summary>
    public static readonly Point Print = new(170, 430);

    public static byte[] Png() => Encode(".png");

    public static byte[] Jpeg() => Encode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));

    /// <summary>The same picture without any red: a grey photo that shows no seal.</summary>
    public static byte[] GreyPng()
    {
        using Mat scan = Draw();
        using Mat grey = new();
        Cv2.CvtColor(scan, grey, ColorConversionCodes.BGR2GRAY);
        Cv2.ImEncode(".png", grey, out byte[] png);
        return png;
    }

    public static Mat Draw()
    {
        var scan = new Mat(Side, Side, MatType.CV_8UC3, Paper);
        var centre = new Point(Side / 2, Side / 2);
        Cv2.Circle(scan, centre, Radius, Ink, Ring, LineTypes.AntiAlias);
        Cv2.Circle(scan, centre, 30, Ink, -1, LineTypes.AntiAlias);
        Cv2.PutText(scan, "SMARTSEAL", new Point(150, 200), HersheyFonts.HersheyDuplex, 1.6, Ink, 4, LineTypes.AntiAlias);
        Cv2.PutText(scan, "CONTRACT", Print, HersheyFonts.HersheySimplex, 1.0, new CvScalar(20, 20, 20), 3, LineTypes.AntiAlias);
        return scan;
    }

    private static byte[] Encode(string extension, params ImageEncodingParam[] parameters)
    {
        using Mat scan = Draw();
        Cv2.ImEncode(extension, scan, out byte[] bytes, parameters);
        return bytes;
    }
}
