using PdfSharp.Fonts;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// PDFsharp's font source on Linux, where it finds no fonts by itself: every family resolves to one
/// CJK TrueType font from /usr/share/fonts (Debian's <c>fonts-wqy-microhei</c>, installed by
/// scripts/setup.sh), so Chinese and Latin text print with the same face; bold is simulated.
/// PDFsharp embeds only the glyphs used (a subset), so exports stay small.
/// </summary>
public sealed class CjkFontResolver : IFontResolver
{
    public const string FaceName = "smartseal-cjk";

    /// <summary>Looked for in this order when no font is configured.</summary>
    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ];

    private static readonly object Gate = new();
    private readonly Lazy<byte[]> _font;

    private CjkFontResolver(string path)
    {
        Path = path;
        _font = new Lazy<byte[]>(() => TrueTypeCollection.ExtractFace(File.ReadAllBytes(path)));
    }

    public string Path { get; }

    /// <summary>
    /// Installs the resolver for the process (PDFsharp's setting is global and may be set once).
    /// Throws with the fix when no CJK font is installed.
    /// </summary>
    public static CjkFontResolver Install(string? configuredPath)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is CjkFontResolver installed)
            {
                return installed;
            }

            string path = configuredPath is { Length: > 0 }
                ? File.Exists(configuredPath) ? configuredPath : throw new PdfFontMissingException($"SmartSeal:Reports:FontPath: no font at {configuredPath}")
                : Candidates.FirstOrDefault(File.Exists)
                  ?? throw new PdfFontMissingException("no CJK font for PDF exports: install Debian's fonts-wqy-microhei (scripts/setup.sh does) or set SmartSeal:Reports:FontPath to a .ttf/.ttc");
            var resolver = new CjkFontResolver(path);
            GlobalFontSettings.FontResolver = resolver;
            return resolver;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(FaceName, isBold, isItalic);

    public byte[]? GetFont(string faceName) => faceName == FaceName ? _font.Value : null;
}

/// <summary>No CJK font to print PDFs with (the API answers 503 naming the fix).</summary>
public sealed class PdfFontMissingException(string message) : InvalidOperationException(message);
