using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// How much red seal ink a photo shows: saturated red pixels per 10 000. Company seals print in
/// red (印泥); the page's own print is black, the desk is brown or grey, so a stamp is a jump in this
/// number between the before- and the after-photo of the same page.
/// </summary>
public static class RedInk
{
    public static int PerTenThousand(byte[] image)
    {
        using Mat colour = Cv2.ImDecode(image, ImreadModes.Color);
        if (colour.Empty())
        {
            throw new ArgumentException("the photo is not an image OpenCV can decode");
        }

        using Mat small = new();
        double scale = Math.Min(1.0, 800.0 / Math.Max(colour.Width, colour.Height));
        Cv2.Resize(colour, small, new Size(0, 0), scale, scale, InterpolationFlags.Area);
        using Mat hsv = new();
        Cv2.CvtColor(small, hsv, ColorConversionCodes.BGR2HSV);
        // OpenCV hue is 0..180: red wraps around 0. Saturation and value keep out brown desks and shadows.
        using Mat low = new();
        using Mat high = new();
        Cv2.InRange(hsv, new OpenCvSharp.Scalar(0, 110, 70), new OpenCvSharp.Scalar(8, 255, 255), low);
        Cv2.InRange(hsv, new OpenCvSharp.Scalar(165, 110, 70), new OpenCvSharp.Scalar(180, 255, 255), high);
        using Mat red = new();
        Cv2.BitwiseOr(low, high, red);
        return (int)Math.Round(Cv2.CountNonZero(red) * 10_000.0 / (small.Width * small.Height));
    }
}
