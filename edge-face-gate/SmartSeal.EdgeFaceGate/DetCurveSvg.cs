using System.Globalization;
using System.Text;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// A detection error trade-off plot as SVG: false accept rate (x) against false reject rate (y), both
/// on log axes from 0.01 % / 0.1 % to 100 %, one polyline per score. A rate of zero sits on the axis
/// floor (the set is too small to show less).
/// </summary>
public static class DetCurveSvg
{
    public sealed record Curve(string Label, IReadOnlyList<float> Genuine, IReadOnlyList<float> Impostor, string Colour);

    private const double Width = 520, Height = 420, Left = 70, Top = 30, PlotWidth = 420, PlotHeight = 320;
    private const double MinFar = 1e-4, MinFrr = 1e-3;

    public static string Render(IReadOnlyList<Curve> curves, string title)
    {
        StringBuilder svg = new();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n<text x=\"{Left}\" y=\"18\" font-size=\"13\">{Escape(title)}</text>\n");
        foreach (double far in new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 })
        {
            double x = X(far);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.0}\" y1=\"{Top}\" x2=\"{x:0.0}\" y2=\"{Top + PlotHeight}\" stroke=\"#ddd\"/><text x=\"{x:0.0}\" y=\"{Top + PlotHeight + 14}\" text-anchor=\"middle\">{far * 100:0.##} %</text>\n");
        }

        foreach (double frr in new[] { 1e-3, 1e-2, 1e-1, 1 })
        {
            double y = Y(frr);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.0}\" x2=\"{Left + PlotWidth}\" y2=\"{y:0.0}\" stroke=\"#ddd\"/><text x=\"{Left - 4}\" y=\"{y + 4:0.0}\" text-anchor=\"end\">{frr * 100:0.##} %</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"#333\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotWidth / 2}\" y=\"{Top + PlotHeight + 30}\" text-anchor=\"middle\">false accept rate (impostor pairs)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {Top + PlotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">false reject rate (genuine pairs)</text>\n");
        for (int c = 0; c < curves.Count; c++)
        {
            Curve curve = curves[c];
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{curve.Colour}\" stroke-width=\"2\" points=\"{string.Join(' ', Distinct(Points(curve).Select(p => FormattableString.Invariant($"{X(p.Far):0.0},{Y(p.Frr):0.0}"))))}\"/>\n");
            double ly = Top + PlotHeight + 48 + c * 14;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{ly - 4}\" x2=\"{Left + 24}\" y2=\"{ly - 4}\" stroke=\"{curve.Colour}\" stroke-width=\"2\"/><text x=\"{Left + 30}\" y=\"{ly}\">{Escape(curve.Label)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>(FAR, FRR) at every distinct score used as the threshold (accept when score ≥ threshold).</summary>
    public static List<(double Far, double Frr)> Points(Curve curve)
    {
        float[] genuine = curve.Genuine.Order().ToArray();
        float[] impostor = curve.Impostor.Order().ToArray();
        List<(double, double)> points = [];
        foreach (float threshold in genuine.Concat(impostor).Distinct().Order())
        {
            int rejected = LowerBound(genuine, threshold);
            int accepted = impostor.Length - LowerBound(impostor, threshold);
            points.Add(((double)accepted / Math.Max(impostor.Length, 1), (double)rejected / Math.Max(genuine.Length, 1)));
        }

        return points;
    }

    /// <summary>Consecutive points that land on the same drawn position are drawn once.</summary>
    private static IEnumerable<string> Distinct(IEnumerable<string> points)
    {
        string? previous = null;
        foreach (string point in points)
        {
            if (point != previous)
            {
                yield return point;
            }

            previous = point;
        }
    }

    private static int LowerBound(float[] sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double X(double far) => Left + (Math.Log10(Math.Max(far, MinFar)) - Math.Log10(MinFar)) / -Math.Log10(MinFar) * PlotWidth;

    private static double Y(double frr) => Top + PlotHeight - (Math.Log10(Math.Max(frr, MinFrr)) - Math.Log10(MinFrr)) / -Math.Log10(MinFrr) * PlotHeight;

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
