using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Documents;

/// <summary>The decision on one page photo: what the device is told and everything that led to it.</summary>
public sealed record PageVerdict(DocumentVerdictKind Kind, string? DocumentId, int Page, string Detail, IReadOnlyList<string> Reasons)
{
    /// <summary>The rectified photo with what differs from the approved page marked (JPEG), when the picture was compared.</summary>
    public byte[]? DifferenceImage { get; init; }

    public string WireName => WireNames.Verdicts[(int)Kind];
}

/// <summary>
/// Checks a photo of a page against the application a use token is for: the page code (present,
/// ours, unaltered, of this application, a page that exists, not over its stamp count), then the
/// OCR of the photo against the approved page's text — the code alone proves nothing about the
/// paper it is stuck on. The first failing check decides the verdict.
/// </summary>
public sealed class PagePhotoChecker(Database database, PageCode codes, TesseractOcr ocr, DocumentService documents, TimeProvider time, IOptions<DocumentOptions> options)
{
    private readonly DocumentOptions _options = options.Value;

    public async Task<PageVerdict> CheckAsync(string applicationId, byte[] photo, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        DecodedPhoto decoded;
        try
        {
            decoded = PageCodeReader.Decode(photo, _options.OcrMaxWidth);
        }
        catch (ArgumentException e)
        {
            return Verdict(DocumentVerdictKind.Unreadable, null, 0, e.Message, reasons);
        }

        reasons.Add($"photo {decoded.Width}x{decoded.Height}");
        if (decoded.CodeText is null)
        {
            return Verdict(DocumentVerdictKind.Unreadable, null, 0, "no page code found: retake the photo with the whole page in view", reasons);
        }

        PageCodeContent? code = codes.Decode(decoded.CodeText, out string? problem);
        if (code is null)
        {
            return Verdict(DocumentVerdictKind.WrongDocument, null, 0, problem!, reasons);
        }

        reasons.Add($"page code: {code.DocumentId} page {code.Page} of {code.ApplicationId}, MAC verified");
        if (code.ApplicationId != applicationId)
        {
            return Verdict(DocumentVerdictKind.WrongDocument, code.DocumentId, code.Page, $"the page belongs to application {code.ApplicationId}, not {applicationId}", reasons);
        }

        DocumentRecord? document;
        IReadOnlyList<string> pages;
        long passed;
        // Closed before the OCR: a pooled connection is not held for the seconds tesseract takes.
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            document = await DocumentStore.FindAsync(code.DocumentId, connection, null);
            if (document is null || document.ApplicationId != applicationId)
            {
                return Verdict(DocumentVerdictKind.WrongDocument, code.DocumentId, code.Page, $"document {code.DocumentId} is not one of application {applicationId}'s", reasons);
            }

            if (code.Page > document.Pages)
            {
                return Verdict(DocumentVerdictKind.WrongPage, code.DocumentId, code.Page, $"document {document.Id} has {document.Pages} pages, not {code.Page}", reasons);
            }

            long holdSince = time.GetUtcNow().ToUnixTimeMilliseconds() - _options.UnstampedVerdictHoldSeconds * 1000L;
            passed = await DocumentStore.StampedCountAsync(applicationId, document.Id, code.Page, holdSince, connection, null);
            pages = await DocumentStore.PageTextsAsync(document.Id, connection, null);
        }

        if (passed >= _options.StampsPerPage)
        {
            return Verdict(DocumentVerdictKind.OverCount, document.Id, code.Page, $"page {code.Page} has already been stamped {passed} time(s); {_options.StampsPerPage} allowed", reasons);
        }

        string ocrText, read;
        try
        {
            ocrText = await ocr.ReadAsync(decoded.OcrPng, cancellationToken);
            read = TextSimilarity.Normalise(ocrText);
        }
        catch (OcrFailedException e)
        {
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page, e.Message, reasons);
        }

        reasons.Add($"OCR read {read.Length} characters");
        if (read.Length < _options.MinOcrCharacters)
        {
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page, $"only {read.Length} characters readable: retake the photo", reasons);
        }

        double[] scores = pages.Select(text => TextSimilarity.Containment(TextSimilarity.Normalise(text), read)).ToArray();
        double claimed = scores[code.Page - 1];
        int bestOther = Enumerable.Range(0, scores.Length).Where(i => i != code.Page - 1).OrderByDescending(i => scores[i]).DefaultIfEmpty(-1).First();
        reasons.Add($"text matches page {code.Page} at {TextSimilarity.Percent(claimed)}"
            + (bestOther >= 0 ? $", best other page {bestOther + 1} at {TextSimilarity.Percent(scores[bestOther])}" : string.Empty));

        // The picture decides whether the page is the approved one; the text explains and catches swapped pages.
        PictureComparison picture = await ComparePictureAsync(applicationId, document.Id, code.Page, photo, decoded, cancellationToken);
        reasons.AddRange(picture.Measures);
        bool otherPageText = bestOther >= 0 && scores[bestOther] >= _options.MatchThreshold && scores[bestOther] > claimed;
        bool weakText = claimed < _options.MatchThreshold || (bestOther >= 0 && claimed < scores[bestOther] + _options.MatchMargin);
        if (picture.Outcome == PictureOutcome.Same && (otherPageText || weakText))
        {
            // The photo shows the approved page mark for mark: a text that reads otherwise is the OCR's doing.
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page, "retake the photo: the picture shows the approved page but its text could not be read well enough to confirm it", reasons, picture);
        }

        if (otherPageText)
        {
            return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page, $"the code says page {code.Page} but the text is page {bestOther + 1}'s", reasons, picture);
        }

        if (weakText && picture.Outcome != PictureOutcome.Retake)
        {
            return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page,
                $"the text under the code is not page {code.Page}'s ({TextSimilarity.Percent(claimed)} match, {TextSimilarity.Percent(_options.MatchThreshold)} needed)", reasons, picture);
        }

        // What the text says differs (amounts, numbers, names): the explanation of an edited picture, OCR slips on a same one.
        IReadOnlyList<string> edited = FieldComparison.Differences(pages[code.Page - 1], ocrText, _options.NewNumberDigits);
        string textSays = edited.Count > 0 ? "; text: " + FieldComparison.Describe(edited) : string.Empty;
        switch (picture.Outcome)
        {
            case PictureOutcome.Edited when edited.Count > 0 || picture.Strongest >= _options.Picture.CertainWeight:
                return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page, $"page {code.Page} is edited: {picture.Detail}{textSays}", reasons, picture);
            case PictureOutcome.Edited:
                // A change the text does not confirm and the picture does not prove: never "edited" on doubt.
                return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page,
                    $"retake the photo straight on: {picture.Detail}, but the text reads as approved", reasons, picture);
            case PictureOutcome.Retake:
                return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page, picture.Detail, reasons, picture);
        }

        if (edited.Count > 0)
        {
            // The text reads a value differently and the picture is not quite quiet: a small edit (one digit) the picture alone does not prove.
            if (picture.Strongest >= _options.Picture.SuspectWeight)
            {
                return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page,
                    $"page {code.Page} is edited: text: {FieldComparison.Describe(edited)}, and the picture differs slightly (densest window {picture.Strongest})", reasons, picture);
            }

            // The picture shows no trace of it: the OCR is unsure, which is a retake, never "edited".
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page,
                $"retake the photo: the text reads {FieldComparison.Describe(edited)} but the picture shows no change there", reasons, picture);
        }

        reasons.Add("the picture and the text are the approved page's");
        return Verdict(DocumentVerdictKind.Ok, document.Id, code.Page, $"page {code.Page} of {document.Name}", reasons, picture);
    }

    /// <summary>The photo against the approved page rendered at the comparison's scale.</summary>
    private async Task<PictureComparison> ComparePictureAsync(string applicationId, string documentId, int page, byte[] photo, DecodedPhoto decoded, CancellationToken cancellationToken)
    {
        DocumentResult<byte[]> rendered = await documents.PageImageAsync(applicationId, documentId, page, PagePicture.ReferenceDpi, cancellationToken);
        if (rendered.Value is null)
        {
            throw new InvalidOperationException($"the approved page {page} of {documentId} cannot be rendered: {rendered.Problem}");
        }

        return PagePicture.Compare(photo, _options.OcrMaxWidth, decoded.CodeCorners!, rendered.Value, _options.Picture);
    }

    private static PageVerdict Verdict(DocumentVerdictKind kind, string? documentId, int page, string detail, List<string> reasons, PictureComparison? picture = null)
    {
        reasons.Add(detail);
        return new PageVerdict(kind, documentId, page, detail.Length > 200 ? detail[..200] : detail, reasons) { DifferenceImage = picture?.DifferenceImage };
    }
}
