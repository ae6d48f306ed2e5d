using System.Globalization;
using System.Text;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>
/// Numbers a printed copy (远程打印, issue 16 item 7): one incremental update puts a footer line
/// ("第 2/3 份 …") on every page as a printable annotation. The sealed revision is untouched, so the
/// copy's seals still verify (the footer shows as a change after the last seal).
/// </summary>
public static class PdfCopyMark
{
    public const double FontSize = 9;

    public static byte[] Stamp(byte[] sealedPdf, string footer)
    {
        ClassicPdf pdf = ClassicPdf.Read(sealedPdf);
        var update = new PdfUpdate(pdf, sealedPdf);
        int font = update.WriteCjkFont();
        double width = (footer.Sum(c => c < 128 ? 0.5 : 1.0) * FontSize) + 4, height = FontSize + 6;
        string hex = Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(footer));
        int appearance = update.New();
        update.Write(appearance, PdfUpdate.Stream(
            F($"/Type /XObject /Subtype /Form /BBox [0 0 {width} {height}] /Resources <</Font <</F1 {font} 0 R>>>>"),
            F($"BT 0.8 0 0 rg /F1 {FontSize} Tf 2 4 Td <{hex}> Tj ET")));
        var byPage = new Dictionary<int, List<int>>();
        for (int p = 0; p < pdf.Pages.Count; p++)
        {
            double[] box = pdf.Pages[p].MediaBox;
            double x = ((box[0] + box[2]) / 2) - (width / 2), y = box[1] + 12;
            int annotation = update.New();
            update.Write(annotation, F($"<</Type /Annot /Subtype /Stamp /P {pdf.Pages[p].Ref} /F 196 /Rect [{x} {y} {x + width} {y + height}] /AP <</N {appearance} 0 R>> /Contents ") + PdfSealer.PdfText(footer) + ">>");
            byPage[p] = [annotation];
        }

        update.AddAnnotations(byPage);
        return update.Finish();
    }

    private static string F(FormattableString text) => string.Format(CultureInfo.InvariantCulture, text.Format, text.GetArguments().Select(a => a is double d ? Math.Round(d, 2) : a).ToArray());
}
