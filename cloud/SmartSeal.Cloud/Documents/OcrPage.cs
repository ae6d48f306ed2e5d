using System.Globalization;
using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>One word tesseract read: its text, confidence (0–100), box in the OCR image and line (block, paragraph, line).</summary>
public sealed record OcrWord(string Text, double Confidence, Rect Box, int Line);

/// <summary>What tesseract read on a page, word by word (its TSV output), and the plain text made of it.</summary>
public sealed record OcrPage(IReadOnlyList<OcrWord> Words)
{
    /// <summary>The words line by line, as the plain-text output reads.</summary>
    public string Text => string.Join("\n", Words.GroupBy(w => w.Line).Select(line => string.Join(" ", line.Select(w => w.Text))));

    /// <summary>
    /// Parses tesseract's TSV (<c>level page block par line word left top width height conf text</c>):
    /// the level-5 rows are words; a row that does not parse is a broken output, an error.
    /// </summary>
    public static OcrPage FromTsv(string tsv)
    {
        var words = new List<OcrWord>();
        var lines = new Dictionary<(int, int, int), int>();
        foreach (string row in tsv.Split('\n').Skip(1))
        {
            string[] cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != "5" || string.IsNullOrWhiteSpace(cells[11]))
            {
                continue;
            }

            int Cell(int i) => int.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
                ? v : throw new OcrFailedException($"tesseract's TSV has a bad cell '{cells[i]}'");
            var key = (Cell(2), Cell(3), Cell(4));
            int line = lines.TryGetValue(key, out int known) ? known : lines[key] = lines.Count;
            double confidence = double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out double c) ? c : 0;
            words.Add(new OcrWord(cells[11], confidence, new Rect(Cell(6), Cell(7), Cell(8), Cell(9)), line));
        }

        return new OcrPage(words);
    }
}
