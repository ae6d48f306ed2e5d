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
}

/// <summary>Face size, blur (Laplacian variance) and pose (from the 5 landmarks).</summary>
public static class QualityGate
{
    public static double Sharpness(Mat alignedBgr)
    {
        using Mat gray = new();
        Cv2.CvtColor(alignedBgr, gray, ColorConversionCodes.BGR2GRAY);
        using Mat laplacian = new();
        Cv2.Laplacian(gray, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out Scalar stddev);
        return stddev.Val0 * stddev.Val0;
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
