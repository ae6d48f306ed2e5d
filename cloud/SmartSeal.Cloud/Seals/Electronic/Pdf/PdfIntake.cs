using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>A document the sealer will not take, with the reason the caller sees.</summary>
public sealed class PdfRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Checks an uploaded document before it can be sealed and gives the bytes the seal is added to:
/// not a PDF, too large, encrypted, corrupt or carrying JavaScript → refused with the reason. A PDF
/// without signatures is rewritten once by PDFsharp into classic cross-reference form (the content
/// is unchanged; the approved hash is of the upload); a PDF already sealed is kept byte for byte,
/// so the earlier signatures stay valid, and must be in the form this cloud writes.
/// </summary>
public static class PdfIntake
{
    public static byte[] Prepare(byte[] upload, long maxBytes)
    {
        if (upload.Length > maxBytes)
        {
            throw new PdfRefusedException($"the document has {upload.Length} bytes; the limit is {maxBytes}");
        }

        if (upload.AsSpan(0, Math.Min(upload.Length, 1024)).IndexOf("%PDF-"u8) < 0)
        {
            throw new PdfRefusedException("not a PDF (no %PDF- header)");
        }

        // The trailer (or cross-reference stream dictionary, never compressed) names the encryption dictionary.
        if (upload.AsSpan().IndexOf("/Encrypt"u8) >= 0)
        {
            throw new PdfRefusedException("the PDF is encrypted");
        }

        PdfDocument document;
        try
        {
            document = PdfReader.Open(new MemoryStream(upload, writable: false), PdfDocumentOpenMode.Modify);
        }
        catch (Exception e) when (e is not OutOfMemoryException) // PDFsharp throws plain Exception for a missing xref, among others
        {
            throw new PdfRefusedException(e.Message.Contains("password", StringComparison.OrdinalIgnoreCase) ? "the PDF is encrypted" : $"the PDF is corrupt: {e.Message}", e);
        }

        using (document)
        {
            // Indirect objects through PDFsharp (object streams included), direct ones in the uncompressed text.
            if (upload.AsSpan().IndexOf("/JavaScript"u8) >= 0 || upload.AsSpan().IndexOf("/JS "u8) >= 0 || upload.AsSpan().IndexOf("/JS("u8) >= 0 || upload.AsSpan().IndexOf("/JS<"u8) >= 0)
            {
                throw new PdfRefusedException("the PDF carries JavaScript");
            }

            bool signed = false;
            foreach (PdfObject item in document.Internals.GetAllObjects())
            {
                if (item is not PdfDictionary dict)
                {
                    continue;
                }

                if (dict.Elements.ContainsKey("/JS") || dict.Elements.ContainsKey("/JavaScript") || dict.Elements.GetName("/S") == "/JavaScript")
                {
                    throw new PdfRefusedException("the PDF carries JavaScript");
                }

                signed |= dict.Elements.GetName("/FT") == "/Sig" || dict.Elements.GetName("/Type") == "/Sig";
            }

            if (signed)
            {
                try
                {
                    _ = ClassicPdf.Read(upload);
                }
                catch (FormatException e)
                {
                    throw new PdfRefusedException($"the PDF is already signed in a form this cloud cannot extend without breaking that signature ({e.Message})", e);
                }

                return upload;
            }

            document.Options.NoCompression = false;
            using var normalised = new MemoryStream();
            document.Save(normalised);
            return normalised.ToArray();
        }
    }
}
