using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>
/// One incremental update of a classic-xref PDF (ISO 32000-1 §7.5.6): new and rewritten objects
/// appended after the original bytes, annotations added to pages, then the cross-reference section
/// and a trailer pointing back at the previous one. The original bytes never change, so signatures
/// over earlier revisions stay valid. Used by <see cref="PdfSealer"/> and <see cref="PdfCopyMark"/>.
/// </summary>
internal sealed class PdfUpdate
{
    /// <summary>Adobe's predefined CJK font (no file embedded: readers and printers substitute their Song face); the descendant is the object after it.</summary>
    public const string CjkFont = "<</Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{0} 0 R]>>";

    public const string CjkDescendant = "<</Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo <</Registry (Adobe) /Ordering (GB1) /Supplement 2>> /FontDescriptor <</Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93>>>>";

    private readonly ClassicPdf _pdf;
    private readonly byte[] _original;
    private readonly SortedDictionary<int, int> _offsets = []; // object number → offset within the update

    public PdfUpdate(ClassicPdf pdf, byte[] original)
    {
        _pdf = pdf;
        _original = original;
        Next = pdf.Size;
        Text.Append(original[^1] is (byte)'\n' ? string.Empty : "\n");
    }

    /// <summary>The appended text (Latin-1); offsets in it become file offsets after <see cref="BaseLength"/>.</summary>
    public StringBuilder Text { get; } = new();

    public int BaseLength => _original.Length;

    /// <summary>The next free object number.</summary>
    public int Next { get; private set; }

    public int New() => Next++;

    public void Write(int number, string body)
    {
        Begin(number);
        Text.Append(CultureInfo.InvariantCulture, $"{number} 0 obj\n").Append(body).Append("\nendobj\n");
    }

    /// <summary>Records that object <paramref name="number"/> starts here (for an object the caller writes piecewise).</summary>
    public void Begin(int number) => _offsets[number] = Text.Length;

    /// <summary>Writes the CJK font pair and returns the Type0 font's number.</summary>
    public int WriteCjkFont()
    {
        int font = New(), descendant = New();
        Write(font, string.Format(CultureInfo.InvariantCulture, CjkFont, descendant));
        Write(descendant, CjkDescendant);
        return font;
    }

    public static string Stream(string dict, string content) => $"<<{dict} /Length {Encoding.Latin1.GetByteCount(content)}>>\nstream\n{content}\nendstream";

    /// <summary>Appends annotations to pages (page index → annotation objects): the page's /Annots array, or the page itself, rewritten.</summary>
    public void AddAnnotations(IReadOnlyDictionary<int, List<int>> byPage)
    {
        PdfSyntax syntax = _pdf.Syntax;
        foreach ((int page, List<int> added) in byPage)
        {
            PdfPage target = _pdf.Pages[page];
            string refs = string.Join(' ', added.Select(n => $"{n} 0 R"));
            if (target.Dict.Dict!.TryGetValue("Annots", out PdfValue? annots) && annots.Ref is { } annotsRef)
            {
                PdfValue array = _pdf.Object(annotsRef);
                Write(annotsRef.Number, syntax.Text[array.Start..(array.End - 1)] + " " + refs + "]");
            }
            else
            {
                string value = annots is null ? $"[{refs}]" : syntax.Text[annots.Start..(annots.End - 1)] + " " + refs + "]";
                Write(target.Ref.Number, syntax.WithEntry(target.Dict, "Annots", value));
            }
        }
    }

    /// <summary>The cross-reference section and trailer of the new revision; returns the whole file.</summary>
    public byte[] Finish()
    {
        int xrefAt = Text.Length;
        Text.Append("xref\n");
        foreach (IGrouping<int, KeyValuePair<int, int>> run in _offsets.Select((entry, index) => (entry, index)).GroupBy(x => x.entry.Key - x.index, x => x.entry))
        {
            Text.Append(CultureInfo.InvariantCulture, $"{run.First().Key} {run.Count()}\n");
            foreach (KeyValuePair<int, int> entry in run)
            {
                Text.Append((BaseLength + entry.Value).ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n\r\n");
            }
        }

        string hash = Convert.ToHexString(SHA256.HashData(_original)[..16]);
        string id = _pdf.IdText ?? $"[<{hash}> <{hash}>]";
        Text.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {Next} /Root {_pdf.Root}{(_pdf.InfoText is { } info ? " /Info " + info : string.Empty)} /ID {id} /Prev {_pdf.StartXref}>>\n");
        Text.Append(CultureInfo.InvariantCulture, $"startxref\n{BaseLength + xrefAt}\n%%EOF\n");
        return [.. _original, .. Encoding.Latin1.GetBytes(Text.ToString())];
    }
}
