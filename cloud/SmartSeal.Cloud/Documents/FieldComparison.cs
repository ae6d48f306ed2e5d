using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// Field-level comparison of a page's reference text with a photo's OCR: the values a forger edits
/// (amounts, dates, numbers, names) must be there exactly, where the bigram share of
/// <see cref="TextSimilarity"/> hardly moves for one changed digit. Checked: every number of the
/// reference (Arabic digits, and Chinese numerals such as 壹佰贰拾万元) and every name token (field
/// values after a colon in Chinese, capitalised Latin words) appears in the OCR; no long number
/// appears in the OCR that the reference does not have.
/// </summary>
public static partial class FieldComparison
{
    /// <summary>What differs, for the verdict's reason; empty when the fields agree.</summary>
    public static IReadOnlyList<string> Differences(string reference, string ocr, int newNumberDigits)
    {
        string read = TextSimilarity.Normalise(ocr);
        string expected = TextSimilarity.Normalise(reference);
        var differences = new List<string>();

        foreach (string number in Numbers(reference))
        {
            if (!read.Contains(number, StringComparison.Ordinal))
            {
                differences.Add($"number {number} missing");
            }
        }

        foreach (string name in Names(reference))
        {
            string wanted = TextSimilarity.Normalise(name);
            if (BestDistance(wanted, read) > Allowance(wanted))
            {
                differences.Add($"\"{name}\" missing");
            }
        }

        string expectedDigits = DigitsOnly(expected);
        foreach (Match run in DigitRun().Matches(read))
        {
            if (run.Length >= newNumberDigits && !expected.Contains(run.Value, StringComparison.Ordinal) && !expectedDigits.Contains(run.Value, StringComparison.Ordinal))
            {
                differences.Add($"number {run.Value} not in the approved page");
            }
        }

        return differences.Distinct().ToList();
    }

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
            yield return m.Groups[1].Value;
        }

        foreach (Match m in LatinName().Matches(text))
        {
            yield return m.Value;
        }
    }

    private static string DigitsOnly(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    /// <summary>Long Latin words may lose a letter to the OCR; Chinese names and short words must be exact.</summary>
    private static int Allowance(string token) => token.Any(c => c >= 0x2E80) ? 0 : token.Length >= 8 ? 1 : 0;

    /// <summary>The smallest edit distance between <paramref name="token"/> and any substring of <paramref name="text"/> (Sellers).</summary>
    public static int BestDistance(string token, string text)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        if (text.Contains(token, StringComparison.Ordinal))
        {
            return 0;
        }

        var previous = new int[token.Length + 1];
        var current = new int[token.Length + 1];
        for (int i = 0; i <= token.Length; i++)
        {
            previous[i] = i;
        }

        int best = token.Length;
        foreach (char c in text)
        {
            current[0] = 0;
            for (int i = 1; i <= token.Length; i++)
            {
                int cost = token[i - 1] == c ? 0 : 1;
                current[i] = Math.Min(Math.Min(previous[i] + 1, current[i - 1] + 1), previous[i - 1] + cost);
            }

            best = Math.Min(best, current[token.Length]);
            (previous, current) = (current, previous);
        }

        return best;
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
