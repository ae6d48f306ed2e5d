using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Documents;

/// <summary>A document as the API shows it.</summary>
public sealed record DocumentView(string Id, string ApplicationId, string Name, int Pages, long Bytes, string Sha256, string UploadedBy, long UploadedMs)
{
    public static DocumentView Of(DocumentRecord d) => new(d.Id, d.ApplicationId, d.Name, d.Pages, d.Bytes, d.Sha256, d.UploadedBy, d.UploadedMs);
}

/// <summary>What an upload or copy request came to.</summary>
public enum DocumentOutcome
{
    Done,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

public sealed record DocumentResult<T>(DocumentOutcome Outcome, T? Value, string? Problem = null);

/// <summary>
/// Uploads (the applicant, while the application is pending or returned) and approved copies (once
/// approved). PDFs (and JPEG/PNG pages, turned into one-page PDFs by <see cref="ImageDocument"/>) are kept on disk under <c>{DataDirectory}/documents/{application}/{document}.pdf</c>;
/// the table keeps their page count and each page's text as the reference for the photo check.
/// </summary>
public sealed class DocumentService(Database database, ApplicationDirectory applications, ApprovedCopyMaker copies, TesseractOcr ocr, TimeProvider time, IOptions<DocumentOptions> options, IServiceProvider services)
{
    private readonly DocumentOptions _options = options.Value;

    public DocumentOptions Options => _options;

    private string Root => _options.Directory is { Length: > 0 } directory
        ? Path.GetFullPath(directory)
        : Path.Combine(DataDirectory.Resolve(services), "documents");

    public async Task<DocumentResult<DocumentView>> UploadAsync(string applicationId, string caller, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        if (await applications.StatusAsync(applicationId, cancellationToken) is not { } found)
        {
            return new(DocumentOutcome.NotFound, null, $"no application {applicationId}");
        }

        if (found.Applicant != caller)
        {
            return new(DocumentOutcome.Forbidden, null, "only the applicant uploads the application's documents");
        }

        if (found.Status is not ("pending" or "returned"))
        {
            return new(DocumentOutcome.Conflict, null, $"the application is {found.Status}: documents can be added while it is pending or returned");
        }

        IReadOnlyList<string> pageTexts;
        byte[] pdf = content;
        try
        {
            if (ImageDocument.IsImage(content))
            {
                (byte[] ocrPng, pdf) = ImageDocument.Prepare(content, _options.OcrMaxWidth);
                string text = await ocr.ReadAsync(ocrPng, cancellationToken);
                int readable = TextSimilarity.Normalise(text).Length;
                if (readable < _options.MinOcrCharacters)
                {
                    return new(DocumentOutcome.Invalid, null, $"only {readable} characters of text readable in the image: upload a legible scan or photo of a document page");
                }

                pageTexts = [text];
            }
            else
            {
                pageTexts = PdfContent.Read(content, _options.MaxPages).Select(p => p.Text).ToList();
            }
        }
        catch (UnusablePdfException e)
        {
            return new(DocumentOutcome.Invalid, null, e.Message);
        }
        catch (OcrFailedException e)
        {
            return new(DocumentOutcome.Invalid, null, "the image's text cannot be read: " + e.Message);
        }

        var document = new DocumentRecord
        {
            Id = "dc-" + Guid.NewGuid().ToString("n")[..12],
            ApplicationId = applicationId,
            Name = Path.GetFileName(fileName) is { Length: > 0 and <= 200 } name ? name : "document.pdf",
            Pages = pageTexts.Count,
            Bytes = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedBy = caller,
            UploadedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        string path = PathOf(applicationId, document.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, pdf, cancellationToken); // before the row: a row always has its file
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DocumentStore.InsertAsync(document, pageTexts, connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new(DocumentOutcome.Done, DocumentView.Of(document));
    }

    public async Task<IReadOnlyList<DocumentView>> ListAsync(string applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await DocumentStore.ForApplicationAsync(applicationId, connection, null)).Select(DocumentView.Of).ToList();
    }

    /// <summary>The printable approved copy: only for an approved application.</summary>
    public async Task<DocumentResult<(string Name, byte[] Pdf)>> ApprovedCopyAsync(string applicationId, string documentId, CancellationToken cancellationToken)
    {
        string? status = (await applications.StatusAsync(applicationId, cancellationToken))?.Status;
        await using var connection = await database.OpenAsync(cancellationToken);
        DocumentRecord? document = await DocumentStore.FindAsync(documentId, connection, null);
        if (status is null || document is null || document.ApplicationId != applicationId)
        {
            return new(DocumentOutcome.NotFound, default, $"no document {documentId} in application {applicationId}");
        }

        if (status != "approved")
        {
            return new(DocumentOutcome.Conflict, default, $"the application is {status}: approved copies exist once it is approved");
        }

        byte[] original = await File.ReadAllBytesAsync(PathOf(applicationId, documentId), cancellationToken);
        byte[] copy = copies.Make(applicationId, documentId, original, _options.MaxPages);
        return new(DocumentOutcome.Done, (Path.GetFileNameWithoutExtension(document.Name) + ".approved.pdf", copy));
    }

    /// <summary>The document as uploaded (images: the one-page PDF made of them).</summary>
    public async Task<DocumentResult<(string Name, byte[] Pdf)>> OriginalAsync(string applicationId, string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        DocumentRecord? document = await DocumentStore.FindAsync(documentId, connection, null);
        if (document is null || document.ApplicationId != applicationId)
        {
            return new(DocumentOutcome.NotFound, default, $"no document {documentId} in application {applicationId}");
        }

        return new(DocumentOutcome.Done, (Path.GetFileNameWithoutExtension(document.Name) + ".pdf", await File.ReadAllBytesAsync(PathOf(applicationId, documentId), cancellationToken)));
    }

    /// <summary>
    /// A page as a PNG: of the approved copy (with its code) once the application is approved, else
    /// of the upload — what approvers preview and what auditors compare a stamp's photos with.
    /// </summary>
    public Task<DocumentResult<byte[]>> PageImageAsync(string applicationId, string documentId, int page, CancellationToken cancellationToken) =>
        PageImageAsync(applicationId, documentId, page, _options.PageImageDpi, cancellationToken);

    /// <summary>The page as a PNG at <paramref name="dpi"/> (the picture comparison renders the approved page at its own scale).</summary>
    public async Task<DocumentResult<byte[]>> PageImageAsync(string applicationId, string documentId, int page, int dpi, CancellationToken cancellationToken)
    {
        string? status = (await applications.StatusAsync(applicationId, cancellationToken))?.Status;
        await using var connection = await database.OpenAsync(cancellationToken);
        DocumentRecord? document = await DocumentStore.FindAsync(documentId, connection, null);
        if (status is null || document is null || document.ApplicationId != applicationId || page < 1 || page > document.Pages)
        {
            return new(DocumentOutcome.NotFound, null, $"no page {page} of document {documentId} in application {applicationId}");
        }

        byte[] pdf = await File.ReadAllBytesAsync(PathOf(applicationId, documentId), cancellationToken);
        if (status == "approved")
        {
            pdf = copies.Make(applicationId, documentId, pdf, _options.MaxPages);
        }

        return new(DocumentOutcome.Done, await PageImages.RenderAsync(pdf, page, dpi, cancellationToken));
    }

    public async Task<IReadOnlyList<StampEvidenceRecord>> StampEvidenceAsync(string applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await DocumentStore.EvidenceForApplicationAsync(applicationId, connection);
    }

    public async Task<IReadOnlyList<VerdictRecord>> VerdictsAsync(string applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await DocumentStore.VerdictsForApplicationAsync(applicationId, connection);
    }

    private string PathOf(string applicationId, string documentId) => Path.Combine(Root, applicationId, documentId + ".pdf");
}
