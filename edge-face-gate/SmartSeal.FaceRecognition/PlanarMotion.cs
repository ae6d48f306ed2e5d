using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// How far a burst of frames departs from the motion of one flat picture, measured on the 68 landmarks
/// (<see cref="Measure"/>). Whatever a hand does with a printed photo, a framed photo, a phone or a
/// cut-out, the picture is a plane: between two camera frames its landmarks move by one homography, up
/// to the landmark model's noise. A live head does not: turning it even slightly moves the nose tip
/// against the face outline (parallax), and eyelids and lips move on their own.
/// </summary>
public static class PlanarMotion
{
    /// <summary>All 68 points: jaw line, brows, nose, eyes and lips.</summary>
    public static readonly int[] AllPoints = Enumerable.Range(0, 68).ToArray();

    /// <summary>Jaw line, brows, nose and eyes (0–47): the evidence of a face that does not speak.</summary>
    public static readonly int[] WithoutMouth = Enumerable.Range(0, 48).ToArray();

    /// <summary>Distance between the eye centres (mean of points 36–41 and 42–47): the unit of every residual, so face size does not matter.</summary>
    public static double EyeDistance(Point2f[] p)
    {
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (int i = 0; i < 6; i++)
        {
            lx += p[36 + i].X;
            ly += p[36 + i].Y;
            rx += p[42 + i].X;
            ry += p[42 + i].Y;
        }

        return Math.Max(Math.Sqrt(((rx - lx) * (rx - lx)) + ((ry - ly) * (ry - ly))) / 6, 1e-3);
    }

    /// <summary>
    /// Root-mean-square distance, in eye distances of <paramref name="from"/>, between the points of
    /// <paramref name="to"/> and those of <paramref name="from"/> carried over by the least-squares
    /// homography between them: 0 for two views of one plane, larger when the face is not flat or changed shape.
    /// </summary>
    public static double Residual(Point2f[] from, Point2f[] to, int[] points)
    {
        var source = new Point2d[points.Length];
        var target = new Point2d[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            source[i] = new Point2d(from[points[i]].X, from[points[i]].Y);
            target[i] = new Point2d(to[points[i]].X, to[points[i]].Y);
        }

        using Mat h = Cv2.FindHomography(source, target, HomographyMethods.None);
        if (h.Empty())
        {
            return double.PositiveInfinity; // no homography fits at all (degenerate points): certainly not one plane
        }

        double sum = 0;
        for (int i = 0; i < points.Length; i++)
        {
            Point2d s = source[i];
            double w = (h.At<double>(2, 0) * s.X) + (h.At<double>(2, 1) * s.Y) + h.At<double>(2, 2);
            double x = ((h.At<double>(0, 0) * s.X) + (h.At<double>(0, 1) * s.Y) + h.At<double>(0, 2)) / w;
            double y = ((h.At<double>(1, 0) * s.X) + (h.At<double>(1, 1) * s.Y) + h.At<double>(1, 2)) / w;
            sum += ((x - target[i].X) * (x - target[i].X)) + ((y - target[i].Y) * (y - target[i].Y));
        }

        return Math.Sqrt(sum / points.Length) / EyeDistance(from);
    }

    /// <summary>
    /// The burst's evidence: every frame against the first, the non-planar residual of each
    /// (<see cref="Residual"/>, all 68 points and without the mouth) and how far the face moved at all.
    /// </summary>
    public static MotionEvidence Measure(IReadOnlyList<Point2f[]> frames)
    {
        if (frames.Count < 2)
        {
            return new MotionEvidence([], [], 0, frames.Count);
        }

        Point2f[] first = frames[0];
        var all = new double[frames.Count - 1];
        var withoutMouth = new double[frames.Count - 1];
        double moved = 0;
        for (int k = 1; k < frames.Count; k++)
        {
            all[k - 1] = Residual(first, frames[k], AllPoints);
            withoutMouth[k - 1] = Residual(first, frames[k], WithoutMouth);
            moved = Math.Max(moved, Shift(first, frames[k]));
        }

        return new MotionEvidence(all, withoutMouth, moved, frames.Count);
    }

    /// <summary>Mean landmark displacement from <paramref name="a"/> to <paramref name="b"/>, in eye distances of <paramref name="a"/>: how far the face moved at all.</summary>
    public static double Shift(Point2f[] a, Point2f[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Sqrt(((a[i].X - b[i].X) * (a[i].X - b[i].X)) + ((a[i].Y - b[i].Y) * (a[i].Y - b[i].Y)));
        }

        return sum / a.Length / EyeDistance(a);
    }
}

/// <summary>
/// Residuals after the best planar fit of each frame to the burst's first (in eye distances), and the
/// largest mean landmark shift (also in eye distances: 0 means nothing moved at all).
/// </summary>
public sealed record MotionEvidence(double[] AllPoints, double[] WithoutMouth, double Moved, int Frames)
{
    /// <summary>The burst's non-planar evidence: the second-largest frame residual, so one frame where the landmarks slipped is not enough.</summary>
    public double NonPlanar => SecondLargest(AllPoints);

    public double NonPlanarWithoutMouth => SecondLargest(WithoutMouth);

    /// <summary>The second-largest value (the only one if there is one; 0 if none).</summary>
    public static double SecondLargest(IReadOnlyList<double> values)
    {
        double first = 0, second = 0;
        foreach (double v in values)
        {
            if (v > first)
            {
                second = first;
                first = v;
            }
            else if (v > second)
            {
                second = v;
            }
        }

        return values.Count == 1 ? first : second;
    }
}
