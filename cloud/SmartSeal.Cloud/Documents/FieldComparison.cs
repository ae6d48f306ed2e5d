using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// Field-level comparison of a page's reference text with a photo's OCR: the values a forger edits
/// (amounts, dates, numbers, names) must read as approved, where the bigram share of
/// <see cref="TextSimilarity"/> hardly moves for one changed digit. Each value of the reference
/// (Arabic numbers, Chinese numerals such as 壹佰贰拾万元, field values after a colon, capitalised
/// Latin words) is looked for between its neighbours: when the OCR read the text on both sides of
/// it, what it read in between must be the value (OCR may drop characters or misread them as
/// non-numerals, but a digit read as another digit, or a name mostly replaced, is an edit).
/// When the OCR did not read the neighbours, the value is not judged: a phone photo loses whole
/// lines to the OCR, and that is not evidence of an edit. Long numbers in the OCR far from anything
/// in the reference are reported as new.
/// </summary>
public static partial class FieldComparison
{
    /// <summary>Normalised characters on each side of a value that locate it in the OCR (more when these are not unique).</summary>
    private const int AnchorLength = 6;

    /// <summary>What differs, for the verdict's reason; empty when the fields agree.</summary>
    public static IReadOnlyList<string> Differences(string reference, string ocr, int newNumberDigits)
    {
        string read = TextSimilarity.Normalise(ocr);
        string expected = TextSimilarity.Normalise(reference);
        var differences = new List<string>();
        foreach ((string token, TokenKind kind) in Tokens(reference))
        {
            string wanted = TextSimilarity.Normalise(token);
            if (wanted.Length == 0 || ReadBetweenAnchors(expected, wanted, read) is not ({ } value, bool bounded) || !SameScript(wanted, value) || Agrees(wanted, value, bounded, kind))
            {
                continue;
            }

            string seen = bounded ? value : Align(wanted, value).Aligned;
            differences.Add(kind == TokenKind.Name ? $"\"{token}\" reads \"{seen}\"" : $"number {token} reads {(seen.Length == 0 ? "(nothing)" : seen)}");
        }

        foreach (Match run in DigitRun().Matches(read))
        {
            if (run.Length >= newNumberDigits && Align(run.Value, expected).Distance > 2)
            {
                differences.Add($"number {run.Value} not in the approved page");
            }
        }

        return differences.Distinct().ToList();
    }

    private enum TokenKind
    {
        Arabic,
        Chinese,
        Name,
    }

    private static IEnumerable<(string Token, TokenKind Kind)> Tokens(string reference)
    {
        foreach (string number in Numbers(reference))
        {
            yield return (number, number.All(char.IsAsciiDigit) ? TokenKind.Arabic : TokenKind.Chinese);
        }

        foreach (string name in Names(reference))
        {
            yield return (name, TokenKind.Name);
        }
    }

    /// <summary>
    /// What the OCR read where the value should be: between its left and right neighbours, or, when
    /// only one neighbour was read, the stretch of the value's length (and two more) beside it; null
    /// when neither was read. Neighbours must be read exactly and occur once on the page: a
    /// neighbour read with a slip ("article 4" for "article 6") would put the value in the wrong place.
    /// </summary>
    private static (string Value, bool Bounded)? ReadBetweenAnchors(string expected, string wanted, string read)
    {
        int at = expected.IndexOf(wanted, StringComparison.Ordinal);
        string? left = UniqueNeighbour(expected, at, -1);
        string? right = UniqueNeighbour(expected, at + wanted.Length, +1);
        int leftEnd = left is not null && read.IndexOf(left, StringComparison.Ordinal) is >= 0 and int l ? l + left.Length : -1;
        int rightStart = right is not null && read.IndexOf(right, Math.Max(0, leftEnd), StringComparison.Ordinal) is >= 0 and int r ? r : -1;
        if (leftEnd >= 0 && rightStart >= 0 && rightStart - leftEnd > 2 * wanted.Length + 4)
        {
            rightStart = -1; // too far apart to be the value's own neighbours
        }

        int slack = wanted.Length + 2;
        return (leftEnd, rightStart) switch
        {
            ( >= 0, >= 0) => (read[leftEnd..rightStart], true),
            ( >= 0, < 0) => (read[leftEnd..Math.Min(read.Length, leftEnd + slack)], false),
            ( < 0, >= 0) => (read[Math.Max(0, rightStart - slack)..rightStart], false),
            _ => null,
        };
    }

    /// <summary>
    /// The text beside position <paramref name="at"/> (before it for <paramref name="direction"/> -1,
    /// after it for +1): <see cref="AnchorLength"/> characters, grown up to twice that until it
    /// occurs only once on the page ("Party A" is twice on the contract's first page, "Party A:
    /// Shenzhen" once); null at the page's edge or when no such stretch is unique.
    /// </summary>
    private static string? UniqueNeighbour(string expected, int at, int direction)
    {
        for (int length = AnchorLength; length <= 2 * AnchorLength; length++)
        {
            int start = direction < 0 ? at - length : at;
            if (start < 0 || start + length > expected.Length)
            {
                return null;
            }

            string anchor = expected.Substring(start, length);
            if (expected.IndexOf(anchor, StringComparison.Ordinal) == expected.LastIndexOf(anchor, StringComparison.Ordinal))
            {
                return anchor;
            }
        }

        return null;
    }

    /// <summary>
    /// Arabic and Chinese numbers: the numerals read must be the reference's in order (dropped
    /// characters and misreads into non-numerals allowed, up to half the value). Names: about one
    /// character in four may be misread (a company name of 11 characters: three) — a phone photo's
    /// OCR gets that many wrong in a genuine name, so only a name mostly replaced shows as edited.
    /// </summary>
    private static bool Agrees(string wanted, string value, bool bounded, TokenKind kind)
    {
        (int distance, string aligned) = Align(wanted, value);
        if (kind == TokenKind.Name)
        {
            return distance <= (wanted.Length + 1) / 4;
        }

        // Between two neighbours everything read is the value; beside one, only the part that aligns.
        string numerals = new(DigitLike(bounded ? value : aligned).Where(c => char.IsAsciiDigit(c) || ChineseNumerals.Contains(c)).ToArray());
        return distance <= Math.Max(1, wanted.Length / 2) && IsSubsequence(numerals, wanted);
    }

    /// <summary>
    /// Chinese read as Latin letters (tesseract sometimes reads a whole Chinese line as ASCII
    /// garbage): that stretch was not read at all, so it cannot show an edit.
    /// </summary>
    private static bool SameScript(string wanted, string value)
    {
        bool cjk = wanted.Any(IsCjk);
        return !cjk || value.Count(IsCjk) * 2 >= value.Length;
    }

    private static bool IsCjk(char c) => c >= 0x2E80;

    /// <summary>Letters the OCR reads for digits next to digits (o for 0, l or i for 1).</summary>
    private static string DigitLike(string value) =>
        value.Any(char.IsAsciiDigit) ? value.Replace('o', '0').Replace('l', '1').Replace('i', '1') : value;

    /// <summary>Arabic numbers of two digits or more (separators dropped: "1,200,000.00" → "120000000") and Chinese numeral runs.</summary>
    public static IEnumerable<string> Numbers(string reference)
    {
        string text = reference.Normalize(NormalizationForm.FormKC);
        foreach (Match m in ArabicNumber().Matches(text))
        {
            string digits = DigitsOnly(m.Value);
            if (digits.Length >= 2)
            {
                yield return digits;
            }
        }

        foreach (Match m in ChineseNumber().Matches(text))
        {
            yield return m.Value;
        }
    }

    /// <summary>Field values after a colon (甲方：深圳市星河电子有限公司, up to the next punctuation) and capitalised Latin words of four letters or more.</summary>
    public static IEnumerable<string> Names(string reference)
    {
        string text = reference.Normalize(NormalizationForm.FormKC);
        foreach (Match m in CjkFieldValue().Matches(text))
        {
            if (!ChineseNumber().IsMatch(m.Groups[1].Value))
            {
                yield return m.Groups[1].Value; // values with an amount in them are judged as numbers
            }
        }

        foreach (Match m in LatinName().Matches(text))
        {
            yield return m.Value;
        }
    }

    private static string DigitsOnly(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    private const string ChineseNumerals = "零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟";

    private static bool IsSubsequence(string part, string whole)
    {
        int at = 0;
        foreach (char c in whole)
        {
            if (at < part.Length && part[at] == c)
            {
                at++;
            }
        }

        return at == part.Length;
    }

    /// <summary>Where in <c>text[from..to]</c> the substring closest to <paramref name="token"/> is: distance, start, end.</summary>
    private static (int Distance, int Start, int End) Locate(string token, string text, int from, int to)
    {
        (int distance, int start, int end) = AlignAt(token, text[from..to]);
        return (distance, start + from, end + from);
    }

    public static (int Distance, string Aligned) Align(string token, string text)
    {
        (int distance, int start, int end) = AlignAt(token, text);
        return (distance, text[start..end]);
    }

    /// <summary>
    /// The substring of <paramref name="text"/> closest to <paramref name="token"/> by edit distance
    /// (Sellers: the match may start anywhere), and that distance.
    /// </summary>
    private static (int Distance, int Start, int End) AlignAt(string token, string text)
    {
        int at = text.IndexOf(token, StringComparison.Ordinal);
        if (token.Length == 0 || at >= 0)
        {
            return (0, Math.Max(0, at), Math.Max(0, at) + token.Length);
        }

        var previous = new int[token.Length + 1];
        var current = new int[token.Length + 1];
        var previousStart = new int[token.Length + 1];
        var currentStart = new int[token.Length + 1];
        for (int i = 0; i <= token.Length; i++)
        {
            previous[i] = i;
        }

        int best = token.Length, bestStart = 0, bestEnd = 0;
        for (int j = 0; j < text.Length; j++)
        {
            current[0] = 0;
            currentStart[0] = j + 1;
            for (int i = 1; i <= token.Length; i++)
            {
                int substitute = previous[i - 1] + (token[i - 1] == text[j] ? 0 : 1);
                int skipText = previous[i] + 1;
                int skipToken = current[i - 1] + 1;
                if (substitute <= skipText && substitute <= skipToken)
                {
                    (current[i], currentStart[i]) = (substitute, i == 1 ? j : previousStart[i - 1]);
                }
                else if (skipText <= skipToken)
                {
                    (current[i], currentStart[i]) = (skipText, previousStart[i]);
                }
                else
                {
                    (current[i], currentStart[i]) = (skipToken, currentStart[i - 1]);
                }
            }

            if (current[token.Length] < best)
            {
                (best, bestStart, bestEnd) = (current[token.Length], currentStart[token.Length], j + 1);
            }

            (previous, current) = (current, previous);
            (previousStart, currentStart) = (currentStart, previousStart);
        }

        return (best, Math.Min(bestStart, bestEnd), bestEnd);
    }

    public static string Describe(IReadOnlyList<string> differences) =>
        string.Join(", ", differences.Take(4)) + (differences.Count > 4 ? string.Create(CultureInfo.InvariantCulture, $" and {differences.Count - 4} more") : string.Empty);

    [GeneratedRegex(@"\d+(?:[,.]\d+)*")]
    private static partial Regex ArabicNumber();

    [GeneratedRegex(@"[零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]{2,}[元圆角分整]*")]
    private static partial Regex ChineseNumber();

    [GeneratedRegex(@"[:：]\s*([\p{IsCJKUnifiedIdeographs}]{2,20})")]
    private static partial Regex CjkFieldValue();

    [GeneratedRegex(@"\b[A-Z][a-z]{3,}\b")]
    private static partial Regex LatinName();

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitRun();
}
