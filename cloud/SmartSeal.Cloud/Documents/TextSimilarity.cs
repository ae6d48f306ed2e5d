using System.Globalization;
using System.Text;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// How much of a reference page's text an OCR result contains: the share of the reference's
/// character bigrams (a multiset, after normalisation) found in the OCR text. Bigrams tolerate
/// OCR noise (a misread character costs two bigrams, not the page) and work for Chinese, which has
/// no spaces; a different page shares little beyond common words. Order is ignored, so OCR that
/// reads columns in another order still matches.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Letters and digits only, width- and case-folded: layout, punctuation and spaces are OCR noise.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>0..1: the share of <paramref name="reference"/>'s bigrams present in <paramref name="candidate"/> (both normalised).</summary>
    public static double Containment(string reference, string candidate)
    {
        Dictionary<int, int> wanted = Bigrams(reference);
        int total = wanted.Values.Sum();
        if (total == 0)
        {
            return 0;
        }

        Dictionary<int, int> found = Bigrams(candidate);
        int shared = 0;
        foreach ((int bigram, int count) in wanted)
        {
            if (found.TryGetValue(bigram, out int have))
            {
                shared += Math.Min(count, have);
            }
        }

        return (double)shared / total;
    }

    private static Dictionary<int, int> Bigrams(string text)
    {
        var bigrams = new Dictionary<int, int>();
        for (int i = 0; i + 1 < text.Length; i++)
        {
            int key = (text[i] << 16) | text[i + 1];
            bigrams[key] = bigrams.GetValueOrDefault(key) + 1;
        }

        return bigrams;
    }

    public static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);
}
