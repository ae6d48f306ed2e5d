using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace SmartSeal.Cloud.Documents;

/// <summary>One page as PdfPig reads it: size (points), its text and where the text is.</summary>
public sealed record PdfPageContent(int Number, double Width, double Height, string Text, IReadOnlyList<PdfRectangle> TextBoxes);

/// <summary>Why an uploaded file is not a usable document.</summary>
public sealed class UnusablePdfException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads pages and text of a PDF (PdfPig): the reference text and the free corners for page codes.</summary>
public static class PdfContent
{
    public static IReadOnlyList<PdfPageContent> Read(byte[] pdf, int maxPages)
    {
        if (pdf.Length < 5 || !pdf.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
        {
            throw new UnusablePdfException("the file is not a PDF (no %PDF- header)");
        }

        try
        {
            using PdfDocument document = PdfDocument.Open(pdf);
            if (document.IsEncrypted)
            {
                throw new UnusablePdfException("the PDF is encrypted; upload it without a password");
            }

            if (document.NumberOfPages < 1 || document.NumberOfPages > maxPages)
            {
                throw new UnusablePdfException($"the PDF has {document.NumberOfPages} pages; 1 to {maxPages} are accepted");
            }

            var pages = new List<PdfPageContent>(document.NumberOfPages);
            foreach (Page page in document.GetPages())
            {
                var boxes = page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).Select(l => l.BoundingBox).ToList();
                boxes.AddRange(page.GetImages().Select(i => i.BoundingBox));
                pages.Add(new PdfPageContent(page.Number, page.Width, page.Height, page.Text, boxes));
            }

            return pages;
        }
        catch (UnusablePdfException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PdfPig reports damaged files, encryption it cannot open, etc. with several exception types.
            throw new UnusablePdfException("the PDF cannot be read: " + e.Message, e);
        }
    }
}
