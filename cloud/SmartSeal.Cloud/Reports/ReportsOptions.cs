namespace SmartSeal.Cloud.Reports;

/// <summary><c>SmartSeal:Reports</c>: how exports and reports are printed.</summary>
public sealed class ReportsOptions
{
    public const string Section = "SmartSeal:Reports";

    /// <summary>Times in exports and reports, and the month/quarter boundaries of reports.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>A TrueType font (.ttf, or .ttc: the first face) with CJK glyphs; empty: the first of <see cref="CjkFontResolver.Candidates"/> found.</summary>
    public string? FontPath { get; set; }

    /// <summary>Most entries one PDF export prints (a larger period: narrow the filter or use CSV).</summary>
    public int MaxPdfEntries { get; set; } = 20_000;

    /// <summary>Thumbnails printed beside one entry in a PDF.</summary>
    public int PdfPhotosPerEntry { get; set; } = 3;

    /// <summary>How often <see cref="SealBoardWatcher"/> looks for seals that moved (and publishes them on the live feed).</summary>
    public TimeSpan BoardPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
