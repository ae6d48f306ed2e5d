namespace SmartSeal.FaceRecognition;

/// <summary>
/// 2-D similarity (scale, rotation, translation; no reflection or shear):
/// x' = a·x − b·y + tx, y' = b·x + a·y + ty.
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public double Scale => Math.Sqrt(A * A + B * B);
    public double RotationDegrees => Math.Atan2(B, A) * 180 / Math.PI;

    public (double X, double Y) Apply(double x, double y) => (A * x - B * y + Tx, B * x + A * y + Ty);

    /// <summary>
    /// Least-squares fit mapping <paramref name="source"/> onto <paramref name="target"/> (all points
    /// weigh equally; the JS used only some points). After centring both sets, a and b have a closed form.
    /// </summary>
    public static SimilarityTransform Fit(IReadOnlyList<(double X, double Y)> source, IReadOnlyList<(double X, double Y)> target)
    {
        if (source.Count != target.Count || source.Count < 2)
        {
            throw new ArgumentException("need at least two matching point pairs");
        }

        int n = source.Count;
        double sx = 0, sy = 0, tx = 0, ty = 0;
        for (int i = 0; i < n; i++)
        {
            sx += source[i].X; sy += source[i].Y;
            tx += target[i].X; ty += target[i].Y;
        }

        sx /= n; sy /= n; tx /= n; ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double px = source[i].X - sx, py = source[i].Y - sy;
            double qx = target[i].X - tx, qy = target[i].Y - ty;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }

        if (norm <= 1e-12)
        {
            throw new ArgumentException("source points coincide");
        }

        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, tx - (a * sx - b * sy), ty - (b * sx + a * sy));
    }
}
