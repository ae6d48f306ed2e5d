using UglyToad.PdfPig.Core;

namespace SmartSeal.Cloud.Documents;

/// <summary>A square in PDF user space (points, origin bottom-left) where a page code goes.</summary>
public sealed record CodePlacement(string Corner, double Left, double Bottom, double Size, double Overlap);

/// <summary>
/// Chooses where a page code goes: the first page corner (bottom-right, bottom-left, top-right,
/// top-left) whose square touches no text or image; when none is free, the corner that covers least.
/// </summary>
public static class CodeCorner
{
    /// <summary>Side of the code square (~2.8 cm; a version-3 code is 37 modules with its quiet zone, ~2.2 pt each).</summary>
    public const double Size = 80;

    /// <summary>Distance from the page edge (printers rarely print closer than ~4 mm).</summary>
    public const double Inset = 12;

    /// <summary>Space kept between the code and the nearest text.</summary>
    private const double Clearance = 2;

    public static CodePlacement Choose(PdfPageContent page)
    {
        CodePlacement? best = null;
        foreach ((string name, double left, double bottom) in Candidates(page.Width, page.Height))
        {
            double overlap = page.TextBoxes.Sum(box => OverlapArea(box, left - Clearance, bottom - Clearance, Size + 2 * Clearance));
            var placement = new CodePlacement(name, left, bottom, Size, overlap);
            if (overlap == 0)
            {
                return placement;
            }

            if (best is null || overlap < best.Overlap)
            {
                best = placement;
            }
        }

        return best!;
    }

    private static IEnumerable<(string, double, double)> Candidates(double width, double height)
    {
        yield return ("bottom-right", width - Inset - Size, Inset);
        yield return ("bottom-left", Inset, Inset);
        yield return ("top-right", width - Inset - Size, height - Inset - Size);
        yield return ("top-left", Inset, height - Inset - Size);
    }

    private static double OverlapArea(PdfRectangle box, double left, double bottom, double size)
    {
        double w = Math.Min(box.Right, left + size) - Math.Max(box.Left, left);
        double h = Math.Min(box.Top, bottom + size) - Math.Max(box.Bottom, bottom);
        return w > 0 && h > 0 ? w * h : 0;
    }
}
