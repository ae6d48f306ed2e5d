using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>Warps a face to the 112x112 ArcFace layout by the least-squares 5-point similarity.</summary>
public static class FaceAligner
{
    public const int Size = 112;

    /// <summary>ArcFace reference points in 112x112: eyes, nose tip, mouth corners.</summary>
    public static readonly (double X, double Y)[] Template =
    [
        (38.2946, 51.6963),
        (73.5318, 51.5014),
        (56.0252, 71.7366),
        (41.5493, 92.3655),
        (70.7299, 92.2041),
    ];

    public static SimilarityTransform TransformFor(Point2f[] fivePoints)
    {
        (double X, double Y)[] source = new (double X, double Y)[fivePoints.Length];
        for (int i = 0; i < fivePoints.Length; i++)
        {
            source[i] = (fivePoints[i].X, fivePoints[i].Y);
        }

        return SimilarityTransform.Fit(source, Template);
    }

    /// <summary>The aligned 112x112 BGR face (caller disposes).</summary>
    public static Mat Align(Mat bgr, Point2f[] fivePoints)
    {
        SimilarityTransform t = TransformFor(fivePoints);
        using Mat m = new(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, t.A); m.Set(0, 1, -t.B); m.Set(0, 2, t.Tx);
        m.Set(1, 0, t.B); m.Set(1, 1, t.A); m.Set(1, 2, t.Ty);
        Mat aligned = new();
        Cv2.WarpAffine(bgr, aligned, m, new OpenCvSharp.Size(Size, Size), InterpolationFlags.Linear, BorderTypes.Constant);
        return aligned;
    }
}
