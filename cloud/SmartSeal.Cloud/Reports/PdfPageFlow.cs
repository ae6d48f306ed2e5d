using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Top-to-bottom layout over A4 pages for the ledger and report PDFs: a cursor, a page header on
/// every page, and text wrapped by measured width character by character (Chinese has no spaces
/// to break at; Latin words are kept whole where they fit).
/// </summary>
public sealed class PdfPageFlow : IDisposable
{
    public const double Margin = 36;

    private readonly string _title;
    private readonly string _subtitle;
    private XGraphics? _graphics;
    private int _pages;

    public PdfPageFlow(string title, string subtitle, bool landscape)
    {
        _title = title;
        _subtitle = subtitle;
        Landscape = landscape;
        Document.Info.Title = title;
        Document.Info.Creator = "SmartSeal";
        NewPage();
    }

    public PdfDocument Document { get; } = new();

    public bool Landscape { get; }

    public XFont Font { get; } = new(CjkFontResolver.FaceName, 8.5);

    public XFont Small { get; } = new(CjkFontResolver.FaceName, 7);

    public XFont Heading { get; } = new(CjkFontResolver.FaceName, 12, XFontStyleEx.Bold);

    public XFont Title { get; } = new(CjkFontResolver.FaceName, 15, XFontStyleEx.Bold);

    public XGraphics Graphics => _graphics!;

    public double Y { get; set; }

    public double Width => Graphics.PageSize.Width - 2 * Margin;

    public double Bottom => Graphics.PageSize.Height - Margin;

    /// <summary>Starts a new page when <paramref name="height"/> does not fit below the cursor.</summary>
    public void Reserve(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
        }
    }

    public void NewPage()
    {
        _graphics?.Dispose();
        PdfPage page = Document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = Landscape ? PageOrientation.Landscape : PageOrientation.Portrait;
        _graphics = XGraphics.FromPdfPage(page);
        _pages++;
        double top = Margin;
        Graphics.DrawString(_title, Heading, XBrushes.Black, new XRect(Margin, top, Width, 16), XStringFormats.TopLeft);
        Graphics.DrawString($"{_subtitle}    第 {_pages} 页 page {_pages}", Small, XBrushes.DimGray, new XRect(Margin, top + 17, Width, 10), XStringFormats.TopLeft);
        Graphics.DrawLine(XPens.Gray, Margin, top + 30, Margin + Width, top + 30);
        Y = top + 36;
    }

    /// <summary>The lines <paramref name="text"/> takes at <paramref name="width"/>.</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Split('\n'))
        {
            int start = 0;
            while (start < paragraph.Length)
            {
                int end = Fit(paragraph, start, font, width);
                lines.Add(paragraph[start..end].TrimEnd());
                start = end;
                while (start < paragraph.Length && paragraph[start] == ' ')
                {
                    start++;
                }
            }

            if (paragraph.Length == 0)
            {
                lines.Add(string.Empty);
            }
        }

        return lines;
    }

    /// <summary>Draws wrapped text at (x, y) and returns its height.</summary>
    public double DrawText(string text, XFont font, double x, double y, double width, XBrush? brush = null)
    {
        double lineHeight = font.Size * 1.3;
        List<string> lines = Wrap(text, font, width);
        for (int i = 0; i < lines.Count; i++)
        {
            Graphics.DrawString(lines[i], font, brush ?? XBrushes.Black, new XRect(x, y + i * lineHeight, width, lineHeight), XStringFormats.TopLeft);
        }

        return lines.Count * lineHeight;
    }

    public double TextHeight(string text, XFont font, double width) => Wrap(text, font, width).Count * font.Size * 1.3;

    /// <summary>The end of the longest prefix from <paramref name="start"/> that fits (at least one character), preferring a break after a space.</summary>
    private int Fit(string text, int start, XFont font, double width)
    {
        // Binary search on the measured width: measuring is the cost, and long fields are common (hashes, details).
        int low = start + 1, high = text.Length;
        if (Graphics.MeasureString(text[start..high], font).Width <= width)
        {
            return high;
        }

        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (Graphics.MeasureString(text[start..mid], font).Width <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        int space = text.LastIndexOf(' ', low - 1, low - start);
        return space > start + (low - start) / 2 && IsLatin(text[low]) ? space + 1 : low;
    }

    private static bool IsLatin(char c) => c < 0x2E80;

    public void Dispose() => _graphics?.Dispose();
}
