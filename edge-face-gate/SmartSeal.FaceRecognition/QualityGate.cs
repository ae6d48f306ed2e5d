using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>Limits a face must meet before its embedding is trusted (enrolment uses the same ones).</summary>
public sealed record QualityLimits
{
    /// <summary>Smallest face box height in pixels: below it the 112 crop is mostly interpolation.</summary>
    public float MinFaceHeight { get; init; } = 48;

    /// <summary>Smallest variance of the Laplacian of the aligned gray face: below it the face is blurred.</summary>
    public double MinSharpness { get; init; } = 30;

    /// <summary>Largest eye-line tilt (roll), degrees.</summary>
    public double MaxRollDegrees { get; init; } = 30;

    /// <summary>Largest |nose offset from the eye midpoint| / eye distance (a yaw proxy; 0 frontal, about 0.5 at 45°).</summary>
    public double MaxYawRatio { get; init; } = 0.45;

    /// <summary>Mean gray level of the aligned face must lie in this range (0..255 = not checked; enrolment checks it).</summary>
    public double MinBrightness { get; init; }

    public double MaxBrightness { get; init; } = 255;

    /// <summary>Largest share of the aligned face's pixels that are black (≤ 5) or blown out (≥ 250).</summary>
    public double MaxClipped { get; init; } = 1;

    /// <summary>Enrolment photos are the reference for every later match: exposure is checked too.</summary>
    public static QualityLimits Enrolment => new() { MinBrightness = 50, MaxBrightness = 210, MaxClipped = 0.2 };
}

/// <summary>Face size, blur (Laplacian variance) and pose (from the 5 landmarks).</summary>
public static class QualityGate
{
    public static double Sharpness(Mat alignedBgr)
    {
        // Only the inner face (brows to mouth): where the alignment reaches past the frame's edge the crop has
        // a black band, whose edge alone made a heavily blurred face look sharp (a face near the top of the frame).
        using Mat inner = new(alignedBgr, SharpnessRegion(alignedBgr.Size()));
        using Mat gray = new();
        Cv2.CvtColor(inner, gray, ColorConversionCodes.BGR2GRAY);
        using Mat laplacian = new();
        Cv2.Laplacian(gray, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out Scalar stddev);
        return stddev.Val0 * stddev.Val0;
    }

    /// <summary>The central 5/7 of the aligned face (80x80 of 112x112).</summary>
    private static Rect SharpnessRegion(Size size) => new(size.Width / 7, size.Height / 7, size.Width * 5 / 7, size.Height * 5 / 7);

    /// <summary>Mean gray level and the share of clipped (≤ 5 or ≥ 250) pixels of the aligned face.</summary>
    public static (double Mean, double Clipped) Exposure(Mat alignedBgr)
    {
        using Mat gray = new();
        Cv2.CvtColor(alignedBgr, gray, ColorConversionCodes.BGR2GRAY);
        double mean = Cv2.Mean(gray).Val0;
        using Mat dark = new(), bright = new();
        Cv2.InRange(gray, new Scalar(0), new Scalar(5), dark);
        Cv2.InRange(gray, new Scalar(250), new Scalar(255), bright);
        double clipped = (Cv2.CountNonZero(dark) + Cv2.CountNonZero(bright)) / (double)(gray.Rows * gray.Cols);
        return (mean, clipped);
    }

    public static double RollDegrees(Point2f[] five)
    {
        return Math.Atan2(five[1].Y - five[0].Y, five[1].X - five[0].X) * 180 / Math.PI;
    }

    /// <summary>Nose offset along the eye line from the eyes' midpoint, relative to the eye distance.</summary>
    public static double YawRatio(Point2f[] five)
    {
        double ex = five[1].X - five[0].X, ey = five[1].Y - five[0].Y;
        double eyeDistance = Math.Sqrt(ex * ex + ey * ey);
        if (eyeDistance < 1e-6)
        {
            return double.PositiveInfinity;
        }

        double mx = (five[0].X + five[1].X) / 2, my = (five[0].Y + five[1].Y) / 2;
        double along = ((five[2].X - mx) * ex + (five[2].Y - my) * ey) / eyeDistance;
        return along / eyeDistance;
    }
}
