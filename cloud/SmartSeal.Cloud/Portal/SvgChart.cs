using System.Globalization;
using System.Net;
using System.Text;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// Small charts drawn on the server as inline SVG: no script, no chart library, prints and works
/// offline. Each chart is an image with a text label (role=img); the page puts the same numbers
/// in a table beside it for screen readers.
/// </summary>
public static class SvgChart
{
    public sealed record Series(string Name, double[] Values);

    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 48;
    private const int Bottom = 40;
    private const int Top = 12;
    private const int Right = 12;

    /// <summary>Colours with at least 3:1 contrast on white, in series order.</summary>
    private static readonly string[] Palette = ["#b3261e", "#1a5fd0", "#1b7f3b", "#9a6200", "#6a3fb5", "#0f6f7a", "#5b6472", "#a3306f"];

    public static string Colour(int index) => Palette[index % Palette.Length];

    /// <summary>Stacked bars (one bar per label, one segment per series).</summary>
    public static string StackedBars(string label, string[] labels, IReadOnlyList<Series> series, string testId)
    {
        double max = AxisMax(Enumerable.Range(0, labels.Length).Select(i => series.Sum(s => s.Values[i])).DefaultIfEmpty(0).Max(), integers: true);
        var svg = Start(label, testId, max);
        double slot = (Width - Left - Right) / (double)Math.Max(1, labels.Length);
        for (int i = 0; i < labels.Length; i++)
        {
            double y = Height - Bottom;
            for (int k = 0; k < series.Count; k++)
            {
                double h = series[k].Values[i] / max * (Height - Bottom - Top);
                if (h <= 0)
                {
                    continue;
                }

                y -= h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(Left + (i * slot) + (slot * .15))}\" y=\"{N(y)}\" width=\"{N(slot * .7)}\" height=\"{N(h)}\" fill=\"{Colour(k)}\"><title>{E(series[k].Name)} {E(labels[i])}: {N(series[k].Values[i])}</title></rect>");
            }
        }

        return End(svg, labels, slot);
    }

    /// <summary>Lines with a dot per point; a missing value (NaN) breaks the line.</summary>
    public static string Lines(string label, string[] labels, IReadOnlyList<Series> series, string testId, bool integers = true)
    {
        double max = AxisMax(series.SelectMany(s => s.Values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max(), integers);
        var svg = Start(label, testId, max);
        double slot = (Width - Left - Right) / (double)Math.Max(1, labels.Length);
        for (int k = 0; k < series.Count; k++)
        {
            var path = new StringBuilder();
            bool pen = false;
            for (int i = 0; i < labels.Length; i++)
            {
                double v = series[k].Values[i];
                if (double.IsNaN(v))
                {
                    pen = false;
                    continue;
                }

                double x = Left + (i * slot) + (slot / 2);
                double y = Height - Bottom - (v / max * (Height - Bottom - Top));
                path.Append(pen ? " L" : " M").Append(N(x)).Append(' ').Append(N(y));
                pen = true;
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"4\" fill=\"{Colour(k)}\"><title>{E(series[k].Name)} {E(labels[i])}: {N(v)}</title></circle>");
            }

            if (path.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path.ToString().Trim()}\" fill=\"none\" stroke=\"{Colour(k)}\" stroke-width=\"2\"/>");
            }
        }

        return End(svg, labels, slot);
    }

    /// <summary>The top of the axis: four even steps of 1, 2, 2.5 or 5 × 10^n covering <paramref name="max"/> (whole steps for counts).</summary>
    public static double AxisMax(double max, bool integers)
    {
        double raw = Math.Max(max, integers ? 4 : 0.4) / 4;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(candidate => candidate >= raw - 1e-9 && (!integers || candidate % 1 == 0 || candidate >= 10));
        return step * 4;
    }

    private static StringBuilder Start(string label, string testId, double max)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(label)}\" data-testid=\"{E(testId)}\" preserveAspectRatio=\"xMidYMid meet\">");
        for (int g = 0; g <= 4; g++)
        {
            double y = Height - Bottom - (g / 4.0 * (Height - Bottom - Top));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"#d8dde5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" text-anchor=\"end\" font-size=\"12\" fill=\"#5b6472\">{N(max * g / 4)}</text>");
        }

        return svg;
    }

    private static string End(StringBuilder svg, string[] labels, double slot)
    {
        int every = Math.Max(1, (int)Math.Ceiling(labels.Length / 12.0));
        for (int i = 0; i < labels.Length; i += every)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left + (i * slot) + (slot / 2))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2430\">{E(labels[i])}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
