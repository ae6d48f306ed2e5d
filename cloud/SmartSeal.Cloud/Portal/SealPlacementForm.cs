using System.Globalization;
using SmartSeal.Cloud.Seals.Electronic.Pdf;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// The placement the applicant chose on the application page (issue 16): every page, the
/// cross-page seal, and impressions dragged onto page previews. The browser sends each dragged
/// impression as "page:fx:fy" — its centre as fractions of the preview (from the top left), so it
/// does not depend on the preview's size — and this turns them into points on the PDF page.
/// </summary>
public static class SealPlacementForm
{
    /// <summary>The placement, or the reason the spots cannot be read.</summary>
    public static (SealPlacement? Placement, string? Problem) Parse(bool everyPage, bool crossPage, string? spots, IReadOnlyList<double[]> mediaBoxes)
    {
        var placed = new List<SealSpot>();
        foreach (string spot in (spots ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = spot.Split(':');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int page)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double fx) || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double fy)
                || fx is < 0 or > 1 || fy is < 0 or > 1)
            {
                return (null, $"spot '{spot}' is not page:x:y with x and y between 0 and 1");
            }

            if (page < 1 || page > mediaBoxes.Count)
            {
                return (null, $"page {page} is not in the document (pages 1–{mediaBoxes.Count})");
            }

            double[] box = mediaBoxes[page - 1];
            placed.Add(new SealSpot(page, Math.Round(box[0] + (fx * (box[2] - box[0])), 1), Math.Round(box[1] + ((1 - fy) * (box[3] - box[1])), 1)));
        }

        var placement = new SealPlacement { EveryPage = everyPage, CrossPage = crossPage, Spots = placed };
        return placement.IsEmpty ? (null, "choose every page, the cross-page seal, or drag the impression onto a page") : (placement, null);
    }
}
