using System.Globalization;
using System.Text;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>A page: its object, its dictionary and its media box (inherited through the page tree).</summary>
public sealed record PdfPage(PdfRef Ref, PdfValue Dict, double[] MediaBox);

/// <summary>
/// A PDF whose revisions all use classic cross-reference tables (what <see cref="PdfSealer"/> writes,
/// and what it normalises an unsigned upload into): the newest offset of every object, the trailer,
/// the catalog and the pages in order.
/// </summary>
public sealed class ClassicPdf
{
    private readonly Dictionary<int, long> _offsets = [];

    private ClassicPdf(byte[] bytes)
    {
        Bytes = bytes;
        Syntax = new PdfSyntax(Encoding.Latin1.GetString(bytes));
    }

    public byte[] Bytes { get; }

    public PdfSyntax Syntax { get; }

    /// <summary>Offset of the newest cross-reference section (the next update's /Prev).</summary>
    public long StartXref { get; private set; }

    public int Size { get; private set; }

    public PdfRef Root { get; private set; }

    /// <summary>The newest trailer's /Info and /ID, as source text (kept in the next trailer).</summary>
    public string? InfoText { get; private set; }

    public string? IdText { get; private set; }

    public IReadOnlyList<PdfPage> Pages { get; private set; } = [];

    /// <summary>Reads the file; <see cref="FormatException"/> when it is not a classic-xref PDF this reader can follow.</summary>
    public static ClassicPdf Read(byte[] bytes)
    {
        var pdf = new ClassicPdf(bytes);
        pdf.ReadXref();
        pdf.ReadPages();
        return pdf;
    }

    public PdfValue Object(PdfRef reference) =>
        _offsets.TryGetValue(reference.Number, out long offset)
            ? Syntax.ObjectAt(offset, reference.Number)
            : throw new FormatException($"object {reference.Number} is not in the cross-reference table");

    /// <summary>A value, following an indirect reference.</summary>
    public PdfValue Resolve(PdfValue value) => value.Ref is { } r ? Object(r) : value;

    private void ReadXref()
    {
        string text = Syntax.Text;
        int at = text.LastIndexOf("startxref", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException("no startxref");
        }

        StartXref = (long)(Syntax.Parse(at + 9).Number ?? throw new FormatException("startxref without an offset"));
        long? section = StartXref;
        bool newest = true;
        var seen = new HashSet<long>();
        while (section is { } offset && seen.Add(offset))
        {
            int i = Syntax.SkipSpace((int)offset);
            if (offset >= text.Length || string.CompareOrdinal(text, i, "xref", 0, 4) != 0)
            {
                throw new FormatException("the file uses cross-reference streams; only classic tables can be extended here");
            }

            i = Syntax.SkipSpace(i + 4);
            while (string.CompareOrdinal(text, i, "trailer", 0, 7) != 0)
            {
                PdfValue first = Syntax.Parse(i);
                PdfValue count = Syntax.Parse(first.End);
                i = Syntax.SkipSpace(count.End);
                for (int k = 0; k < (int)count.Number!.Value; k++)
                {
                    string entry = text.Substring(i, 18);
                    int number = (int)first.Number!.Value + k;
                    if (entry[17] == 'n' && !_offsets.ContainsKey(number))
                    {
                        _offsets[number] = long.Parse(entry[..10], CultureInfo.InvariantCulture);
                    }

                    i = Syntax.SkipSpace(i + 18);
                }
            }

            PdfValue trailer = Syntax.Parse(i + 7);
            PdfDict dict = trailer.Dict ?? throw new FormatException("trailer is not a dictionary");
            if (dict.ContainsKey("Encrypt"))
            {
                throw new FormatException("the file is encrypted");
            }

            if (newest)
            {
                Size = (int)(dict["Size"].Number ?? 0);
                Root = dict["Root"].Ref ?? throw new FormatException("the trailer names no catalog");
                InfoText = dict.TryGetValue("Info", out PdfValue? info) ? text[info.Start..info.End] : null;
                IdText = dict.TryGetValue("ID", out PdfValue? id) ? text[id.Start..id.End] : null;
                newest = false;
            }

            section = dict.TryGetValue("Prev", out PdfValue? prev) ? (long?)prev.Number : null;
        }
    }

    private void ReadPages()
    {
        PdfValue catalog = Object(Root);
        var pages = new List<PdfPage>();
        Walk(catalog.Dict!["Pages"].Ref ?? throw new FormatException("the catalog names no page tree"), null, pages, 0);
        Pages = pages;
    }

    private void Walk(PdfRef node, double[]? inheritedBox, List<PdfPage> pages, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("the page tree is too deep");
        }

        PdfValue value = Object(node);
        PdfDict dict = value.Dict ?? throw new FormatException($"page tree node {node} is not a dictionary");
        double[]? box = dict.TryGetValue("MediaBox", out PdfValue? media) ? Resolve(media).Array!.Select(v => v.Number ?? 0).ToArray() : inheritedBox;
        if (dict.TryGetValue("Kids", out PdfValue? kids))
        {
            foreach (PdfValue kid in Resolve(kids).Array!)
            {
                Walk(kid.Ref ?? throw new FormatException("a page tree kid is not a reference"), box, pages, depth + 1);
            }
        }
        else
        {
            pages.Add(new PdfPage(node, value, box ?? [0, 0, 595.28, 841.89]));
        }
    }
}
