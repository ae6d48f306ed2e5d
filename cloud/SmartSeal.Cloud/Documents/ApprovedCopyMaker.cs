using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using QRCoder;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The printable approved copy: the uploaded PDF with a page code (QR, drawn as vector squares so it
/// prints sharp at any size) in a free corner of every page. Deterministic: the same document gives
/// the same codes, so the copy is made on request and never stored.
/// </summary>
public sealed class ApprovedCopyMaker(PageCode codes)
{
    public byte[] Make(string applicationId, string documentId, byte[] pdf, int maxPages)
    {
        IReadOnlyList<PdfPageContent> contents = PdfContent.Read(pdf, maxPages);
        using var input = new MemoryStream(pdf);
        using PdfDocument document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        for (int i = 0; i < document.PageCount; i++)
        {
            PdfPage page = document.Pages[i];
            PdfPageContent content = contents[i];
            CodePlacement placement = CodeCorner.Choose(content);
            string text = codes.Encode(new PageCodeContent(applicationId, documentId, i + 1));
            using XGraphics graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            DrawCode(graphics, text, placement, content.Height);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>Dark modules as squares; XGraphics has its origin top-left, PDF space bottom-left.</summary>
    private static void DrawCode(XGraphics graphics, string text, CodePlacement placement, double pageHeight)
    {
        using QRCodeData data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.L);
        List<System.Collections.BitArray> modules = data.ModuleMatrix; // includes the 4-module quiet zone
        int count = modules.Count;
        double module = placement.Size / count;
        double left = placement.Left;
        double top = pageHeight - placement.Bottom - placement.Size;
        graphics.DrawRectangle(XBrushes.White, left, top, placement.Size, placement.Size);
        for (int row = 0; row < count; row++)
        {
            for (int column = 0; column < count; column++)
            {
                if (modules[row][column])
                {
                    // A hair wider than a module so neighbouring squares print as one dark area.
                    graphics.DrawRectangle(XBrushes.Black, left + column * module, top + row * module, module + 0.05, module + 0.05);
                }
            }
        }
    }
}
