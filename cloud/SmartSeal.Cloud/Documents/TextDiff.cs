using System.Globalization;
using System.Text;
using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>What one difference between the approved text and the photo's OCR is.</summary>
public enum TextChangeKind
{
    /// <summary>The photo reads other characters where the approved page has these.</summary>
    Substituted,

    /// <summary>The photo has characters the approved page does not (extra text, a clause in the margin).</summary>
    Inserted,

    /// <summary>The approved page's characters are not in the photo.</summary>
    Deleted,
}

/// <summary>
/// One difference of the ordered text diff: the approved characters, what the photo reads there,
/// what kind of value it touches (digit, Chinese numeral, date, amount, percentage, negation, name,
/// extra text, text) and how much that weighs, the OCR's confidence in what it read (for a deletion:
/// in the words either side) and where in the OCR image it is.
/// </summary>
public sealed record TextChange(TextChangeKind Kind, string Expected, string Read, string Class, int Weight, double Confidence, Rect Box)
{
    /// <summary>The change with the unchanged characters around it (whole numbers, two more characters each side), as a person reads it.</summary>
    public (string Before, string After) InContext { get; init; } = (Expected, Read);

    /// <summary>
    /// Chinese read as Latin letters (tesseract sometimes reads a whole Chinese line as ASCII garbage):
    /// that stretch was not read at all, so it shows neither an edit nor a doubt about one.
    /// </summary>
    public bool Unread => Expected.Any(IsCjk) && Read.Length > 0 && Read.Count(IsCjk) * 2 < Read.Length;

    private static bool IsCjk(char c) => c >= 0x2E80;

    /// <summary>Whether the OCR read the approved characters either side of the change (at least two each side) as approved.</summary>
    public bool Anchored { get; init; }

    /// <summary>
    /// Digits read in place of as many other digits (38 → 39): the change the picture comparison
    /// cannot see at its scale (an 8 and a 9 share most of their ink), so the reading has to decide.
    /// </summary>
    public bool DigitForDigit => Kind == TextChangeKind.Substituted && Expected.Length == Read.Length
        && Expected.All(char.IsAsciiDigit) && Read.All(char.IsAsciiDigit);

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Class} \"{InContext.Before}\" reads \"{InContext.After}\" (confidence {Confidence:F0})");
}

/// <summary>
/// The full text diff of issue 22: the approved page's text and the photo's OCR, both normalised
/// (letters, digits and %, NFKC, lower case, the OCR's usual o/0 and l/1 confusions folded), are
/// aligned character by character (Levenshtein with traceback: an ordered diff, so Chinese, which
/// has no spaces, counts single characters), and every run of substitutions, insertions and
/// deletions is a <see cref="TextChange"/>. No value is skipped for being short: 一年 → 五年 is one
/// numeral, 9月1日 → 9月7日 one digit of a date. The OCR's word confidences and boxes ride along
/// so the check can tell an unsure reading (retake) from a sure one, and find the place in the picture.
/// </summary>
public static class TextDiff
{
    /// <summary>Cells of the alignment table above which the page is too long to align (about 6 000 × 6 000 characters).</summary>
    private const long MaxCells = 36_000_000;

    private const string ChineseNumerals = "零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两";
    private const string Negations = "不非无未没否勿莫";
    private static readonly string[] LatinNegations = new[] { "not", "no", "never", "without", "non" }.Select(Normalise).ToArray();

    /// <summary>The differences in reading order; null when the page is too long to align.</summary>
    public static IReadOnlyList<TextChange>? Compare(string reference, OcrPage ocr)
    {
        string expected = Normalise(reference);
        var read = new StringBuilder();
        var wordOf = new List<int>();
        for (int w = 0; w < ocr.Words.Count; w++)
        {
            foreach (char c in Normalise(ocr.Words[w].Text))
            {
                read.Append(c);
                wordOf.Add(w);
            }
        }

        if ((long)(expected.Length + 1) * (read.Length + 1) > MaxCells)
        {
            return null;
        }

        List<(int E, int R)> path = Align(expected, read.ToString());
        var changes = new List<TextChange>();
        int at = 0;
        while (at < path.Count)
        {
            if (path[at].E >= 0 && path[at].R >= 0 && expected[path[at].E] == read[path[at].R])
            {
                at++;
                continue;
            }

            int start = at;
            while (at < path.Count && !(path[at].E >= 0 && path[at].R >= 0 && expected[path[at].E] == read[path[at].R]))
            {
                at++;
            }

            changes.Add(Change(path, start, at, expected, read.ToString(), wordOf, ocr.Words));
        }

        return changes;
    }

    /// <summary>Letters, digits and % (a percentage's sign is part of its value), NFKC, lower case; o→0 and l, i→1 as the OCR confuses them.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c) || c == '%')
            {
                builder.Append(char.ToLowerInvariant(c) switch { 'o' => '0', 'l' or 'i' => '1', char other => other });
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The edit path from <paramref name="expected"/> to <paramref name="read"/>: pairs of positions,
    /// -1 on the side that has no character (insertion, deletion). Ties prefer a match or substitution,
    /// so one changed character is one substitution, not a deletion and an insertion.
    /// </summary>
    private static List<(int E, int R)> Align(string expected, string read)
    {
        int n = expected.Length, m = read.Length;
        var from = new byte[(n + 1) * (m + 1)]; // 0 diagonal, 1 up (deletion), 2 left (insertion)
        var previous = new int[m + 1];
        var current = new int[m + 1];
        for (int j = 0; j <= m; j++)
        {
            previous[j] = j;
            from[j] = 2;
        }

        for (int i = 1; i <= n; i++)
        {
            current[0] = i;
            from[i * (m + 1)] = 1;
            for (int j = 1; j <= m; j++)
            {
                int diagonal = previous[j - 1] + (expected[i - 1] == read[j - 1] ? 0 : 1);
                int up = previous[j] + 1, left = current[j - 1] + 1;
                (current[j], from[i * (m + 1) + j]) = diagonal <= up && diagonal <= left ? (diagonal, (byte)0) : up <= left ? (up, (byte)1) : (left, (byte)2);
            }

            (previous, current) = (current, previous);
        }

        var path = new List<(int, int)>(n + m);
        for (int i = n, j = m; i > 0 || j > 0;)
        {
            switch (from[i * (m + 1) + j])
            {
                case 0:
                    path.Add((--i, --j));
                    break;
                case 1:
                    path.Add((--i, -1));
                    break;
                default:
                    path.Add((-1, --j));
                    break;
            }
        }

        path.Reverse();
        return path;
    }

    private static TextChange Change(List<(int E, int R)> path, int start, int end, string expected, string read, List<int> wordOf, IReadOnlyList<OcrWord> words)
    {
        var e = new StringBuilder();
        var r = new StringBuilder();
        var readWords = new SortedSet<int>();
        for (int k = start; k < end; k++)
        {
            if (path[k].E >= 0)
            {
                e.Append(expected[path[k].E]);
            }

            if (path[k].R >= 0)
            {
                r.Append(read[path[k].R]);
                readWords.Add(wordOf[path[k].R]);
            }
        }

        TextChangeKind kind = e.Length == 0 ? TextChangeKind.Inserted : r.Length == 0 ? TextChangeKind.Deleted : TextChangeKind.Substituted;
        if (readWords.Count == 0)
        {
            // A deletion: the words read just before and after it vouch for (and locate) the gap.
            if (LastRead(path, start - 1, -1) is int wordBefore)
            {
                readWords.Add(wordOf[wordBefore]);
            }

            if (LastRead(path, end, +1) is int wordAfter)
            {
                readWords.Add(wordOf[wordAfter]);
            }
        }

        double confidence = readWords.Count == 0 ? 0 : readWords.Min(w => words[w].Confidence);
        Rect box = readWords.Count == 0 ? default : readWords.Select(w => words[w].Box).Aggregate((a, b) => a | b);
        (string left, string right) = (Around(path, start - 1, -1, expected), Around(path, end, +1, expected));
        (string cls, int weight) = Classify(e.ToString(), r.ToString(), kind, left, right);
        return new TextChange(kind, e.ToString(), r.ToString(), cls, weight, confidence, box) { InContext = (left + e + right, left + r + right), Anchored = left.Length >= 2 && right.Length >= 2 };
    }

    private static int? LastRead(List<(int E, int R)> path, int from, int step)
    {
        for (int k = from; k >= 0 && k < path.Count; k += step)
        {
            if (path[k].R >= 0)
            {
                return path[k].R;
            }
        }

        return null;
    }

    /// <summary>The matched characters beside a change: a whole number it is part of, and two more.</summary>
    private static string Around(List<(int E, int R)> path, int from, int step, string expected)
    {
        var taken = new List<char>();
        int extra = 0;
        for (int k = from; k >= 0 && k < path.Count && extra < 2 && taken.Count < 24; k += step)
        {
            if (path[k].E < 0 || path[k].R < 0)
            {
                break;
            }

            char c = expected[path[k].E];
            if (!(char.IsAsciiDigit(c) || ChineseNumerals.Contains(c)))
            {
                extra++;
            }

            taken.Add(c);
        }

        if (step < 0)
        {
            taken.Reverse();
        }

        return new string(taken.ToArray());
    }

    /// <summary>
    /// What the change touches, judged on both sides and the approved text around it (context
    /// <c>"before|after"</c>): a negation weighs most (it turns a clause around), then dates, amounts
    /// and percentages and extra text of a few characters or more (a clause added), then bare digits
    /// and numerals, names (Chinese characters swapped), and other text. <paramref name="before"/> and
    /// <paramref name="after"/> are the unchanged characters beside it (the whole number it is part of, and two more).
    /// </summary>
    private static (string Class, int Weight) Classify(string expected, string read, TextChangeKind kind, string before, string after)
    {
        string both = expected + read;
        bool Has(Func<char, bool> test) => both.Any(test);
        bool numeric = Has(char.IsAsciiDigit) || Has(c => ChineseNumerals.Contains(c)) || both.Contains('%');
        after = new string(after.SkipWhile(c => char.IsAsciiDigit(c) || ChineseNumerals.Contains(c)).ToArray());
        before = new string(before.Reverse().SkipWhile(c => char.IsAsciiDigit(c) || ChineseNumerals.Contains(c)).Reverse().ToArray());
        if (Has(c => Negations.Contains(c)) || LatinNegations.Any(n => expected == n || read == n))
        {
            return ("negation", 5);
        }

        if (kind == TextChangeKind.Inserted && read.Length >= 4)
        {
            return ("extra text", 4); // a clause in the margin, whatever it says
        }

        if (numeric && (after.Length > 0 && "年月日号".Contains(after[0]) || before.EndsWith('年') || before.EndsWith('月') || both.IndexOfAny(['年', '月', '日']) >= 0))
        {
            return ("date", 4);
        }

        if (numeric && (both.Contains('%') || after.StartsWith('%')))
        {
            return ("percentage", 4);
        }

        if (numeric && (after.Length > 0 && "元圆万亿".Contains(after[0]) || before.EndsWith("mb", StringComparison.Ordinal) || before.EndsWith("ny", StringComparison.Ordinal)
            || before.EndsWith("币", StringComparison.Ordinal) || both.IndexOfAny(['元', '圆']) >= 0))
        {
            return ("amount", 4);
        }

        if (Has(char.IsAsciiDigit))
        {
            return ("digit", 3);
        }

        if (Has(c => ChineseNumerals.Contains(c)))
        {
            return ("Chinese numeral", 3);
        }

        if (kind == TextChangeKind.Substituted && expected.Any(c => c >= 0x2E80) && read.Any(c => c >= 0x2E80))
        {
            return ("name", 2);
        }

        return ("text", 1);
    }
}
