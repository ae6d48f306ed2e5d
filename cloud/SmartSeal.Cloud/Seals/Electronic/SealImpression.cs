using System.Globalization;
using System.Text;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>The outline of an impression (印模).</summary>
public enum ImpressionShape
{
    /// <summary>The round company seal: text on the upper arc, five-pointed star, name line, serial on the lower arc.</summary>
    Round,

    /// <summary>The oval finance or contract seal.</summary>
    Oval,

    /// <summary>The square personal seal: two columns of characters read right to left.</summary>
    Square,
}

/// <summary>What an impression says and how large it is (millimetres, the size of the metal seal).</summary>
public sealed record ImpressionSpec(ImpressionShape Shape, string ArcText, string? NameLine, string? Serial, double WidthMm, double HeightMm)
{
    public static ImpressionSpec Round(string arcText, string? nameLine = null, string? serial = null, double diameterMm = 42) => new(ImpressionShape.Round, arcText, nameLine, serial, diameterMm, diameterMm);

    public static ImpressionSpec Oval(string arcText, string? nameLine = null, string? serial = null) => new(ImpressionShape.Oval, arcText, nameLine, serial, 45, 30);

    public static ImpressionSpec Square(string personName) => new(ImpressionShape.Square, personName, null, null, 20, 20);

    /// <summary>The impression a register seal gets by default: round for the company, oval for finance and contract seals, square for a legal representative.</summary>
    public static ImpressionSpec For(Seal seal, string organisation, string? serial = null) => seal.Type switch
    {
        SealType.Company => Round(organisation, null, serial),
        SealType.Finance or SealType.Contract => Oval(organisation, seal.Name, serial),
        SealType.LegalRepresentative => Square(seal.Name),
        _ => Round(organisation, seal.Name, serial),
    };
}

/// <summary>
/// The impression as vector drawing, from the seal's text (never a picture): rings, a star and
/// glyphs placed and turned one by one, so the same geometry becomes SVG (the portal) and a PDF
/// form XObject (the visible signature) and prints crisp at the real size. Origin at the centre,
/// y up, millimetres.
/// </summary>
public sealed class SealImpression : IImpression
{
    private const double PointsPerMm = 72 / 25.4;

    private SealImpression(ImpressionSpec spec, IReadOnlyList<Glyph> glyphs, IReadOnlyList<(double X, double Y)> star)
    {
        Spec = spec;
        Glyphs = glyphs;
        Star = star;
    }

    public ImpressionSpec Spec { get; }

    /// <summary>Each character: centre, turn (degrees, counter-clockwise), height and horizontal squeeze.</summary>
    public IReadOnlyList<Glyph> Glyphs { get; }

    /// <summary>The star's ten corners (empty without a star).</summary>
    public IReadOnlyList<(double X, double Y)> Star { get; }

    public double WidthPoints => Spec.WidthMm * PointsPerMm;

    public double HeightPoints => Spec.HeightMm * PointsPerMm;

    public double RingMm => Spec.Shape == ImpressionShape.Square ? 1.0 : Spec.WidthMm / 35;

    public static SealImpression Render(ImpressionSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.ArcText) || spec.ArcText.Length > 40)
        {
            throw new ArgumentException("the impression's text must have 1..40 characters", nameof(spec));
        }

        if (spec.WidthMm is < 10 or > 80 || spec.HeightMm is < 10 or > 80)
        {
            throw new ArgumentException("an impression is 10..80 mm wide and high", nameof(spec));
        }

        var glyphs = new List<Glyph>();
        var star = new List<(double, double)>();
        double a = spec.WidthMm / 2, b = spec.HeightMm / 2;
        switch (spec.Shape)
        {
            case ImpressionShape.Square:
                Square(spec.ArcText, a, glyphs);
                break;
            default:
                double ring = spec.WidthMm / 35;
                double size = spec.Shape == ImpressionShape.Round ? spec.WidthMm * 0.15 : spec.HeightMm * 0.17;
                double squeeze = spec.Shape == ImpressionShape.Round ? 0.75 : 0.7;
                OnArc(spec.ArcText, a - ring * 1.6 - size / 2, b - ring * 1.6 - size / 2, spec.Shape == ImpressionShape.Round ? 240 : 200, size, squeeze, top: true, glyphs);
                if (spec.Serial is { Length: > 0 } serial)
                {
                    OnArc(serial, a - ring * 1.6 - size * 0.25, b - ring * 1.6 - size * 0.25, Math.Min(100, serial.Length * 8), size * 0.42, 0.9, top: false, glyphs);
                }

                if (spec.Shape == ImpressionShape.Round)
                {
                    StarCorners(0, b * 0.05, a * 0.3, star);
                }

                if (spec.NameLine is { Length: > 0 } name)
                {
                    double nameSize = Math.Min(size * 0.85, (a * 1.2) / name.Length);
                    double y = spec.Shape == ImpressionShape.Round ? -b * 0.45 : 0;
                    Line(name, y, nameSize, glyphs);
                }

                break;
        }

        return new SealImpression(spec, glyphs, star);
    }

    /// <summary>The impression as SVG, sized in millimetres.</summary>
    public string ToSvg()
    {
        double w = Spec.WidthMm, h = Spec.HeightMm, ring = RingMm;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"{-w / 2} {-h / 2} {w} {h}\">"));
        svg.Append("<g fill=\"#d40000\" stroke=\"#d40000\">");
        if (Spec.Shape == ImpressionShape.Square)
        {
            svg.Append(Inv($"<rect x=\"{-w / 2 + ring / 2}\" y=\"{-h / 2 + ring / 2}\" width=\"{w - ring}\" height=\"{h - ring}\" fill=\"none\" stroke-width=\"{ring}\"/>"));
        }
        else
        {
            svg.Append(Inv($"<ellipse cx=\"0\" cy=\"0\" rx=\"{w / 2 - ring / 2}\" ry=\"{h / 2 - ring / 2}\" fill=\"none\" stroke-width=\"{ring}\"/>"));
        }

        if (Star.Count > 0)
        {
            svg.Append("<polygon stroke=\"none\" points=\"").Append(string.Join(' ', Star.Select(p => Inv($"{p.X},{-p.Y}")))).Append("\"/>");
        }

        foreach (Glyph g in Glyphs)
        {
            svg.Append(Inv($"<text stroke=\"none\" font-family=\"SimSun, 'Noto Serif CJK SC', 'WenQuanYi Micro Hei', serif\" font-size=\"{g.SizeMm}\" text-anchor=\"middle\" dominant-baseline=\"central\" transform=\"translate({g.X} {-g.Y}) rotate({-g.TurnDegrees}) scale({g.Squeeze} 1)\">"))
                .Append(System.Security.SecurityElement.Escape(g.Text)).Append("</text>");
        }

        svg.Append("</g></svg>");
        return svg.ToString();
    }

    /// <summary>
    /// PDF drawing operators for a form XObject with BBox [0 0 <see cref="WidthPoints"/> <see cref="HeightPoints"/>];
    /// glyphs use the font resource <paramref name="font"/> (a Type0 font with UCS-2 encoding, e.g. Adobe's STSong-Light / UniGB-UCS2-H).
    /// </summary>
    public string ToPdfOperators(string font = "F1")
    {
        double k = PointsPerMm, w = Spec.WidthMm, h = Spec.HeightMm, ring = RingMm;
        var pdf = new StringBuilder();
        pdf.Append(Inv($"q 0.83 0 0 rg 0.83 0 0 RG {k} 0 0 {k} {w * k / 2} {h * k / 2} cm {ring} w\n"));
        if (Spec.Shape == ImpressionShape.Square)
        {
            pdf.Append(Inv($"{-w / 2 + ring / 2} {-h / 2 + ring / 2} {w - ring} {h - ring} re S\n"));
        }
        else
        {
            Ellipse(pdf, w / 2 - ring / 2, h / 2 - ring / 2);
        }

        if (Star.Count > 0)
        {
            pdf.Append(Inv($"{Star[0].X} {Star[0].Y} m "));
            foreach ((double x, double y) in Star.Skip(1))
            {
                pdf.Append(Inv($"{x} {y} l "));
            }

            pdf.Append("h f\n");
        }

        foreach (Glyph g in Glyphs)
        {
            double turn = g.TurnDegrees * Math.PI / 180, cos = Math.Cos(turn), sin = Math.Sin(turn);

            // The glyph's origin is its lower-left corner: move it so the character's centre sits on (X, Y).
            double dx = -g.SizeMm * g.Squeeze / 2, dy = -g.SizeMm * 0.38;
            double ox = g.X + (dx * cos) - (dy * sin), oy = g.Y + (dx * sin) + (dy * cos);
            string hex = Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(g.Text));
            pdf.Append(Inv($"BT /{font} {g.SizeMm} Tf {cos * g.Squeeze} {sin * g.Squeeze} {-sin} {cos} {ox} {oy} Tm <{hex}> Tj ET\n"));
        }

        pdf.Append("Q\n");
        return pdf.ToString();
    }

    private static void OnArc(string text, double rx, double ry, double spanDegrees, double size, double squeeze, bool top, List<Glyph> glyphs)
    {
        int n = text.Length;
        double step = n > 1 ? spanDegrees / (n - 1) : 0;
        for (int i = 0; i < n; i++)
        {
            // Upper text runs left to right clockwise over the top; lower text left to right anticlockwise under the bottom.
            double angle = top ? 90 + (spanDegrees / 2) - (i * step) : 270 - (spanDegrees / 2) + (i * step);
            double rad = angle * Math.PI / 180;
            double x = rx * Math.Cos(rad), y = ry * Math.Sin(rad);
            double turn = top ? angle - 90 : angle + 90;
            glyphs.Add(new Glyph(text[i].ToString(), x, y, turn, size, squeeze));
        }
    }

    private static void Line(string text, double y, double size, List<Glyph> glyphs)
    {
        double start = -(text.Length - 1) * size / 2;
        for (int i = 0; i < text.Length; i++)
        {
            glyphs.Add(new Glyph(text[i].ToString(), start + (i * size), y, 0, size, 1));
        }
    }

    /// <summary>Two columns right to left: 3 characters → name + "印" column-wise; 2 → padded with "之印"; 4 as is.</summary>
    private static void Square(string name, double half, List<Glyph> glyphs)
    {
        string text = name.Length switch { 1 => name + "之印", 2 => name + "之印", 3 => name + "印", _ => name[..4] };
        if (text.Length == 3)
        {
            text += "印";
        }

        double cell = (half * 2 - 3) / 2, size = cell * 0.92;
        for (int i = 0; i < 4; i++)
        {
            int column = i / 2, row = i % 2;
            glyphs.Add(new Glyph(text[i].ToString(), (cell / 2) - (column * cell), (cell / 2) - (row * cell), 0, size, 1));
        }
    }

    private static void StarCorners(double cx, double cy, double radius, List<(double, double)> corners)
    {
        for (int i = 0; i < 10; i++)
        {
            double r = i % 2 == 0 ? radius : radius * 0.382;
            double angle = (90 + (i * 36)) * Math.PI / 180;
            corners.Add((cx + (r * Math.Cos(angle)), cy + (r * Math.Sin(angle))));
        }
    }

    /// <summary>An ellipse from four Bézier quarter arcs.</summary>
    private static void Ellipse(StringBuilder pdf, double rx, double ry)
    {
        const double c = 0.5523;
        pdf.Append(Inv($"{rx} 0 m {rx} {ry * c} {rx * c} {ry} 0 {ry} c {-rx * c} {ry} {-rx} {ry * c} {-rx} 0 c "));
        pdf.Append(Inv($"{-rx} {-ry * c} {-rx * c} {-ry} 0 {-ry} c {rx * c} {-ry} {rx} {-ry * c} {rx} 0 c S\n"));
    }

    private static string Inv(FormattableString text) => text.ToString(new NumberFormat());

    /// <summary>Invariant numbers with at most four decimals (PDF and SVG read no exponents).</summary>
    private sealed class NumberFormat : IFormatProvider, ICustomFormatter
    {
        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
        {
            double d => Math.Round(d, 4).ToString("0.####", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
            _ => arg?.ToString() ?? string.Empty,
        };
    }
}

/// <summary>One character of an impression.</summary>
public sealed record Glyph(string Text, double X, double Y, double TurnDegrees, double SizeMm, double Squeeze);
