using OpenCvSharp;

namespace SmartSeal.EdgeFaceGate;

/// <summary>Presentation attacks made from a genuine photo (ISO/IEC 30107-3 attack types, digitally imitated).</summary>
public enum SpoofKind
{
    /// <summary>Grayscale, halftone dots, paper tint: a laser print held up.</summary>
    Print,
    /// <summary>The photo at 40 % inside a dark frame, standing in a larger scene.</summary>
    FramedPhoto,
    /// <summary>A phone/monitor recaptured: moiré of two slightly rotated gratings, a blue cast, softness.</summary>
    ScreenMoire,
    /// <summary>The face cut out along an ellipse and held in front of another scene.</summary>
    CutOut,
}

/// <summary>
/// Generates the spoof set deterministically from bona fide photos and a synthetic scene (gradient,
/// rectangles and noise from a fixed seed), so the set needs no further image sources; the photos'
/// own sources are in eval-faces/SOURCES.md and ../shared/data/faces/SOURCES.md.
/// </summary>
public static class SpoofSet
{
    public static Mat Make(Mat photo, SpoofKind kind, int seed) => kind switch
    {
        SpoofKind.Print => Print(photo, seed),
        SpoofKind.FramedPhoto => Framed(photo, seed),
        SpoofKind.ScreenMoire => Screen(photo, seed),
        SpoofKind.CutOut => CutOut(photo, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Mat Print(Mat photo, int seed)
    {
        using Mat gray = new();
        Cv2.CvtColor(photo, gray, ColorConversionCodes.BGR2GRAY);
        // Ordered 4x4 dither: ink dots where the paper is dark.
        int[] bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];
        using Mat dots = new(gray.Size(), MatType.CV_8UC1);
        int rows = gray.Rows, cols = gray.Cols;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                int level = (bayer[((y % 4) * 4) + (x % 4)] * 16) + 8;
                dots.Set(y, x, (byte)(gray.At<byte>(y, x) > level ? 235 : 40));
            }
        }

        using Mat soft = new();
        Cv2.GaussianBlur(dots, soft, new Size(3, 3), 0.8);
        Mat result = new();
        Cv2.CvtColor(soft, result, ColorConversionCodes.GRAY2BGR);
        Cv2.Multiply(result, new Scalar(0.93, 0.98, 1.0), result); // warm paper
        AddNoise(result, seed, 4);
        return result;
    }

    private static Mat Framed(Mat photo, int seed)
    {
        Mat scene = Scene(photo.Size(), seed);
        int w = Math.Max(8, photo.Width * 2 / 5), h = Math.Max(8, photo.Height * 2 / 5);
        int border = Math.Max(3, w / 16);
        using Mat small = new();
        Cv2.Resize(photo, small, new Size(w, h), 0, 0, InterpolationFlags.Area);
        int x = (photo.Width - w) / 2, y = (photo.Height - h) / 3;
        Cv2.Rectangle(scene, new Rect(x - border, y - border, w + (2 * border), h + (2 * border)), new Scalar(25, 25, 30), -1);
        small.CopyTo(new Mat(scene, new Rect(x, y, w, h)));
        AddNoise(scene, seed, 3);
        return scene;
    }

    private static Mat Screen(Mat photo, int seed)
    {
        Mat result = new();
        photo.ConvertTo(result, MatType.CV_32FC3);
        double angle = 0.08 + (seed % 5 * 0.01);
        int rows = result.Rows, cols = result.Cols;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                // Two gratings of near pitch and angle beat into the broad moiré bands of a recaptured screen.
                double a = Math.Sin(x * 2.1);
                double b = Math.Sin(((x * Math.Cos(angle)) + (y * Math.Sin(angle))) * 2.0);
                float m = (float)(1 + (0.12 * a * b));
                Vec3f v = result.At<Vec3f>(y, x);
                result.Set(y, x, new Vec3f((v.Item0 * m * 1.08f) + 6, v.Item1 * m, v.Item2 * m * 0.92f));
            }
        }

        result.ConvertTo(result, MatType.CV_8UC3);
        Cv2.GaussianBlur(result, result, new Size(3, 3), 0.7);
        AddNoise(result, seed, 3);
        return result;
    }

    private static Mat CutOut(Mat photo, int seed)
    {
        Mat scene = Scene(photo.Size(), seed);
        using Mat mask = new(photo.Size(), MatType.CV_8UC1, Scalar.Black);
        Cv2.Ellipse(mask, new RotatedRect(new Point2f(photo.Width / 2f, photo.Height * 0.45f), new Size2f(photo.Width * 0.62f, photo.Height * 0.8f), 0), Scalar.White, -1);
        photo.CopyTo(scene, mask);
        AddNoise(scene, seed, 3);
        return scene;
    }

    /// <summary>An indoor-looking scene: a vertical gradient, a few boxes, from the seed only.</summary>
    private static Mat Scene(Size size, int seed)
    {
        Random random = new(seed);
        Mat scene = new(size, MatType.CV_8UC3);
        for (int y = 0; y < size.Height; y++)
        {
            int v = 90 + (100 * y / Math.Max(size.Height, 1));
            Cv2.Line(scene, new Point(0, y), new Point(size.Width - 1, y), new Scalar(v, v - 10, v - 25));
        }

        for (int i = 0; i < 6; i++)
        {
            Rect r = new(random.Next(size.Width), random.Next(size.Height), random.Next(10, Math.Max(11, size.Width / 3)), random.Next(10, Math.Max(11, size.Height / 3)));
            Cv2.Rectangle(scene, r, new Scalar(random.Next(40, 220), random.Next(40, 220), random.Next(40, 220)), -1);
        }

        return scene;
    }

    /// <summary>Gaussian sensor noise of <paramref name="sigma"/> grey levels, from the seed.</summary>
    internal static void AddNoise(Mat image, int seed, double sigma)
    {
        using Mat noise = new(image.Size(), MatType.CV_16SC3);
        RNG rng = new((ulong)seed);
        rng.Fill(noise, DistributionType.Normal, Scalar.All(0), Scalar.All(sigma));
        using Mat wide = new();
        image.ConvertTo(wide, MatType.CV_16SC3);
        Cv2.Add(wide, noise, wide);
        wide.ConvertTo(image, MatType.CV_8UC3);
    }
}
