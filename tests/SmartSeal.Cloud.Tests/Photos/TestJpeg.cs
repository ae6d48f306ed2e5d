using OpenCvSharp;
using CvScalar = OpenCvSharp.Scalar;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>Real JPEGs made with OpenCV for the tests: deterministic for a seed, different across seeds.</summary>
public static class TestJpeg
{
    public static byte[] Create(int width = 800, int height = 600, int seed = 1)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.SetTheRNG((ulong)seed);
        Cv2.Randu(image, new CvScalar(0, 0, 0), new CvScalar(255, 255, 255));
        Cv2.GaussianBlur(image, image, new Size(7, 7), 0);
        Cv2.Circle(image, new Point(width / 2, height / 2), Math.Min(width, height) / 4, new CvScalar(20, 40, 200), -1);
        Cv2.PutText(image, $"SmartSeal {seed}", new Point(20, 60), HersheyFonts.HersheySimplex, 1.5, new CvScalar(255, 255, 255), 3);
        Cv2.ImEncode(".jpg", image, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
        return jpeg;
    }

    /// <summary>Width and height of a JPEG, decoded by OpenCV.</summary>
    public static (int Width, int Height) SizeOf(byte[] jpeg)
    {
        using Mat decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Assert.False(decoded.Empty(), "not a decodable JPEG");
        return (decoded.Width, decoded.Height);
    }
}
