using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// fr_landmark: a square crop whose side is the box height (centred on the box), resized to 64x64,
/// then gray, /256; 68 points in 0..1 of that crop, mapped back through the same square (the JS
/// mapped them through the unsquared box, which shifts every point).
/// </summary>
public sealed class LandmarkLocator(InferenceSession session) : IFaceLandmarker
{
    public const int InputSize = 64;
    private readonly float[] _input = new float[InputSize * InputSize];

    /// <summary>68 points (x, y) in image pixels.</summary>
    public Point2f[] Locate(Mat bgr, FaceBox box)
    {
        float side = box.Height;
        float left = box.CenterX - side / 2;
        float top = box.CenterY - side / 2;
        float scale = InputSize / side;

        // Crop + resize as one affine warp so a square reaching past the frame edge is padded, not shifted.
        using Mat transform = new(2, 3, MatType.CV_64FC1);
        transform.Set(0, 0, (double)scale); transform.Set(0, 1, 0.0); transform.Set(0, 2, (double)(-left * scale));
        transform.Set(1, 0, 0.0); transform.Set(1, 1, (double)scale); transform.Set(1, 2, (double)(-top * scale));
        using Mat crop = new();
        Cv2.WarpAffine(bgr, crop, transform, new Size(InputSize, InputSize), InterpolationFlags.Linear, BorderTypes.Constant);
        using Mat gray = new();
        Cv2.CvtColor(crop, gray, ColorConversionCodes.BGR2GRAY);
        for (int y = 0; y < InputSize; y++)
        {
            for (int x = 0; x < InputSize; x++)
            {
                _input[y * InputSize + x] = gray.At<byte>(y, x) / 256f;
            }
        }

        float[] output = OnnxRunner.Run(session, _input, [1, 1, InputSize, InputSize])[0];
        Point2f[] points = new Point2f[output.Length / 2];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Point2f(left + output[2 * i] * side, top + output[2 * i + 1] * side);
        }

        return points;
    }

    /// <summary>Eye aspect ratio (lid gap over eye width) of both eyes, averaged: about 0.3 open, below 0.2 closed — for the blink challenge.</summary>
    public static double EyeOpenness(Point2f[] p)
    {
        static double Gap(Point2f a, Point2f b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
        static double Eye(Point2f[] p, int o) => (Gap(p[o + 1], p[o + 5]) + Gap(p[o + 2], p[o + 4])) / (2 * Math.Max(Gap(p[o], p[o + 3]), 1e-3));
        return (Eye(p, 36) + Eye(p, 42)) / 2;
    }

    /// <summary>68 → 5: eye centres from the eyelid points (not the corners), nose tip, mouth corners averaged outer/inner.</summary>
    public static Point2f[] FivePoints(Point2f[] p)
    {
        return
        [
            Mean(p[37], p[38], p[40], p[41]),
            Mean(p[43], p[44], p[46], p[47]),
            p[30],
            Mean(p[48], p[60]),
            Mean(p[54], p[64]),
        ];
    }

    private static Point2f Mean(params Point2f[] points)
    {
        float x = 0, y = 0;
        foreach (Point2f point in points)
        {
            x += point.X;
            y += point.Y;
        }

        return new Point2f(x / points.Length, y / points.Length);
    }
}
