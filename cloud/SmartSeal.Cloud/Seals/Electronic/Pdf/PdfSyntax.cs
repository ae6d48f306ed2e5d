using System.Globalization;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>An indirect reference "n g R".</summary>
public readonly record struct PdfRef(int Number, int Generation)
{
    public override string ToString() => $"{Number} {Generation} R";
}

/// <summary>A parsed PDF value with the character span it came from (the file read as Latin-1: one char per byte).</summary>
public sealed record PdfValue(object Value, int Start, int End)
{
    public PdfDict? Dict => Value as PdfDict;

    public IReadOnlyList<PdfValue>? Array => Value as List<PdfValue>;

    public PdfRef? Ref => Value is PdfRef r ? r : null;

    public string? Name => Value is PdfName n ? n.Text : null;

    public double? Number => Value is PdfNumber n ? n.Value : null;
}

public sealed record PdfName(string Text);

public sealed record PdfNumber(double Value);

/// <summary>A dictionary: its entries in order, each key with its value's span.</summary>
public sealed class PdfDict : Dictionary<string, PdfValue>
{
    public PdfDict()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>Strings, booleans, null and other tokens kept as their source text.</summary>
public sealed record PdfRaw(string Text);

/// <summary>
/// A small reader of PDF object syntax (ISO 32000-1 §7.3) over the file's text: enough to walk the
/// cross-reference tables, the catalog and the page tree of a file with classic xref sections, and
/// to splice entries into a dictionary's source text for an incremental update.
/// </summary>
public sealed class PdfSyntax(string text)
{
    public string Text { get; } = text;

    public int SkipSpace(int i)
    {
        while (i < Text.Length)
        {
            char c = Text[i];
            if (c == '%')
            {
                while (i < Text.Length && Text[i] is not ('\r' or '\n'))
                {
                    i++;
                }
            }
            else if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\0')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    public PdfValue Parse(int i)
    {
        i = SkipSpace(i);
        if (i >= Text.Length)
        {
            throw new FormatException("unexpected end of file");
        }

        char c = Text[i];
        if (c == '<' && i + 1 < Text.Length && Text[i + 1] == '<')
        {
            var dict = new PdfDict();
            int j = SkipSpace(i + 2);
            while (!(Text[j] == '>' && Text[j + 1] == '>'))
            {
                PdfValue key = Parse(j);
                if (key.Name is not { } name)
                {
                    throw new FormatException($"dictionary key expected at {j}");
                }

                PdfValue value = Parse(key.End);
                dict[name] = value;
                j = SkipSpace(value.End);
            }

            return new PdfValue(dict, i, j + 2);
        }

        if (c == '[')
        {
            var items = new List<PdfValue>();
            int j = SkipSpace(i + 1);
            while (Text[j] != ']')
            {
                PdfValue item = Parse(j);
                items.Add(item);
                j = SkipSpace(item.End);
            }

            return new PdfValue(items, i, j + 1);
        }

        if (c == '/')
        {
            int j = i + 1;
            while (j < Text.Length && !IsDelimiterOrSpace(Text[j]))
            {
                j++;
            }

            return new PdfValue(new PdfName(Text[(i + 1)..j]), i, j);
        }

        if (c == '(')
        {
            int depth = 0, j = i;
            do
            {
                if (Text[j] == '\\')
                {
                    j++;
                }
                else if (Text[j] == '(')
                {
                    depth++;
                }
                else if (Text[j] == ')')
                {
                    depth--;
                }

                j++;
            }
            while (depth > 0);
            return new PdfValue(new PdfRaw(Text[i..j]), i, j);
        }

        if (c == '<')
        {
            int j = Text.IndexOf('>', i) + 1;
            return new PdfValue(new PdfRaw(Text[i..j]), i, j);
        }

        int end = i;
        while (end < Text.Length && !IsDelimiterOrSpace(Text[end]))
        {
            end++;
        }

        string token = Text[i..end];
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            // "n g R": an indirect reference.
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int objectNumber))
            {
                int g = SkipSpace(end), gEnd = g;
                while (gEnd < Text.Length && char.IsAsciiDigit(Text[gEnd]))
                {
                    gEnd++;
                }

                int r = SkipSpace(gEnd);
                if (gEnd > g && r < Text.Length && Text[r] == 'R' && (r + 1 == Text.Length || IsDelimiterOrSpace(Text[r + 1])))
                {
                    return new PdfValue(new PdfRef(objectNumber, int.Parse(Text[g..gEnd], CultureInfo.InvariantCulture)), i, r + 1);
                }
            }

            return new PdfValue(new PdfNumber(number), i, end);
        }

        if (token.Length == 0)
        {
            throw new FormatException($"unexpected '{c}' at {i}");
        }

        return new PdfValue(new PdfRaw(token), i, end);
    }

    /// <summary>The value of the indirect object that starts at <paramref name="offset"/> ("n g obj value").</summary>
    public PdfValue ObjectAt(long offset, int expectedNumber)
    {
        int i = SkipSpace((int)offset);
        PdfValue number = Parse(i);
        PdfValue generation = Parse(number.End);
        int keyword = SkipSpace(generation.End);
        if (number.Number != expectedNumber || string.CompareOrdinal(Text, keyword, "obj", 0, 3) != 0)
        {
            throw new FormatException($"object {expectedNumber} is not where the cross-reference table says ({offset})");
        }

        return Parse(keyword + 3);
    }

    /// <summary>The dictionary's source with <paramref name="key"/> set to <paramref name="valueText"/> (replaced, or added before "&gt;&gt;").</summary>
    public string WithEntry(PdfValue dict, string key, string valueText)
    {
        if (dict.Dict!.TryGetValue(key, out PdfValue? existing))
        {
            return Text[dict.Start..existing.Start] + valueText + Text[existing.End..dict.End];
        }

        return Text[dict.Start..(dict.End - 2)] + $" /{key} {valueText}>>";
    }

    private static bool IsDelimiterOrSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\0' or '(' or ')' or '<' or '>' or '[' or ']' or '{' or '}' or '/' or '%';
}
