using Microsoft.Extensions.Options;
using OpenCvSharp;
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
public sealed class PagePhotoChecker(Database database, PageCode codes, TesseractOcr ocr, ApprovedPageReferences references, TimeProvider time, IOptions<DocumentOptions> options)
{
    private readonly DocumentOptions _options = options.Value;

    public async Task<PageVerdict> CheckAsync(string applicationId, byte[] photo, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var steps = new StepTimes(reasons);
        DecodedPhoto decoded;
        try
        {
            decoded = PageCodeReader.Decode(photo, _options.OcrMaxWidth);
            steps.Done("decode + page code");
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

        OcrPage words;
        string read;
        try
        {
            words = await ocr.ReadWordsAsync(decoded.OcrPng, cancellationToken);
            read = TextSimilarity.Normalise(words.Text);
            steps.Done("OCR");
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
        PictureComparison picture = await ComparePictureAsync(applicationId, document, code.Page, photo, decoded, steps, cancellationToken);
        reasons.AddRange(picture.Measures);
        steps.Done("picture");
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

        if (picture.Outcome == PictureOutcome.Retake)
        {
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page, picture.Detail, reasons, picture);
        }

        // The full text diff, each difference weighed by the picture where it is: the text says what changed, the picture that it is really there.
        TextReading text = ReadAgainst(pages[code.Page - 1], words, decoded, picture);
        reasons.AddRange(text.Notes);
        steps.Done("text diff");
        if (text.Edits.Count > 0)
        {
            return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page,
                $"page {code.Page} is edited: text: {Describe(text.Edits)}" + (picture.Outcome == PictureOutcome.Edited ? $"; picture: {picture.Detail}" : string.Empty),
                reasons, picture, text.Edits.Select(e => e.Region));
        }

        switch (picture.Outcome)
        {
            case PictureOutcome.Edited when picture.Strongest >= _options.Picture.CertainWeight:
                return Verdict(DocumentVerdictKind.WrongPage, document.Id, code.Page, $"page {code.Page} is edited: {picture.Detail}", reasons, picture);
            case PictureOutcome.Edited:
                // A change the text does not confirm and the picture does not prove: never "edited" on doubt.
                return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page,
                    $"retake the photo straight on: {picture.Detail}, but the text reads as approved", reasons, picture);
        }

        if (text.Doubts.Count > 0)
        {
            // The OCR is unsure where the picture differs slightly: a retake, never "edited".
            return Verdict(DocumentVerdictKind.Unreadable, document.Id, code.Page,
                $"retake the photo: the text is unsure where the picture differs slightly ({Describe(text.Doubts)})", reasons, picture);
        }

        reasons.Add("the picture and the text are the approved page's");
        return Verdict(DocumentVerdictKind.Ok, document.Id, code.Page, $"page {code.Page} of {document.Name}", reasons, picture);
    }

    /// <summary>A text difference where it lies on the approved page and how much the picture differs there.</summary>
    private sealed record PlacedChange(TextChange Change, int PictureWeight, int MissingWeight, Rect Region);

    /// <summary>
    /// The text diff sorted: edits (read with confidence, the picture differing there by at least
    /// <c>SuspectWeight</c>), doubts (the picture differs there but the OCR is unsure) and the rest, OCR
    /// slips on a picture that is the approved page's at that place.
    /// </summary>
    private sealed record TextReading(IReadOnlyList<PlacedChange> Edits, IReadOnlyList<PlacedChange> Doubts, IReadOnlyList<string> Notes);

    private TextReading ReadAgainst(string pageText, OcrPage words, DecodedPhoto decoded, PictureComparison picture)
    {
        IReadOnlyList<TextChange>? changes = TextDiff.Compare(pageText, words);
        if (changes is null)
        {
            return new TextReading([], [], ["text diff: the page is too long to align; the picture alone decides"]);
        }

        var placed = changes.Select(c =>
        {
            (int weight, int missing, Rect region) = picture.Around(c.Box, decoded.OcrToPhoto);
            return new PlacedChange(c, weight, missing, region);
        }).ToList();
        var edits = placed.Where(Confirmed).OrderByDescending(p => p.Change.Weight).ToList();
        var doubts = placed.Where(p => p.PictureWeight >= _options.Picture.SuspectWeight && !Confirmed(p) && !p.Change.Unread).ToList();
        int slips = placed.Count - edits.Count - doubts.Count;
        var notes = new List<string>
        {
            $"text diff: {changes.Count} difference(s) ({changes.Count(c => c.Kind == TextChangeKind.Substituted)} substituted, "
            + $"{changes.Count(c => c.Kind == TextChangeKind.Inserted)} inserted, {changes.Count(c => c.Kind == TextChangeKind.Deleted)} deleted; "
            + $"extra text {changes.Where(c => c.Kind == TextChangeKind.Inserted).Sum(c => c.Read.Length)} character(s)); "
            + $"{edits.Count} confirmed by the picture, {doubts.Count} unsure, {slips} OCR slips or stretches not read where the picture is the approved page's",
        };
        notes.AddRange(placed.Where(p => p.PictureWeight >= _options.Picture.SuspectWeight || p.Change.Weight >= 3).Take(20)
            .Select(p => $"  {p.Change.Describe()}, picture weight there {p.PictureWeight} (missing ink {p.MissingWeight})"
                + (p.Change.Unread ? " (not read)" : string.Empty) + (SureDigit(p.Change) ? " (a digit read for sure)" : string.Empty)));
        return new TextReading(edits, doubts, notes);
    }

    /// <summary>
    /// A difference both signals vouch for at the same place (or a digit read for sure; a deletion only
    /// where approved ink is missing in the picture, at least half <c>SuspectWeight</c>): read with confidence ≥ <c>MinTextConfidence</c>
    /// where the picture differs by ≥ <c>SuspectWeight</c>, or with half that confidence where the picture
    /// differs by twice as much (a reprinted amount read at 58 on a window of 44 is no OCR slip).
    /// </summary>
    private bool Confirmed(PlacedChange p) => SureDigit(p.Change) || (!p.Change.Unread && p.PictureWeight >= _options.Picture.SuspectWeight
        && (p.Change.Kind != TextChangeKind.Deleted || p.MissingWeight >= _options.Picture.SuspectWeight / 2)
        && (p.Change.Confidence >= _options.MinTextConfidence
            || (p.Change.Confidence >= _options.MinTextConfidence / 2 && p.PictureWeight >= 2 * _options.Picture.SuspectWeight)));

    /// <summary>
    /// One digit for another read with confidence ≥ <c>MinDigitConfidence</c> between approved text read
    /// as approved: an edit however quiet the picture is there (it cannot tell 38 from 39 at its scale).
    /// </summary>
    private bool SureDigit(TextChange change) => change.DigitForDigit && change.Anchored && change.Confidence >= _options.MinDigitConfidence;

    private static string Describe(IReadOnlyList<PlacedChange> changes) =>
        string.Join(", ", changes.Take(4).Select(c => c.Change.Describe())) + (changes.Count > 4 ? $" and {changes.Count - 4} more" : string.Empty);

    /// <summary>The photo against the approved page rendered at the comparison's scale (kept between checks).</summary>
    private async Task<PictureComparison> ComparePictureAsync(string applicationId, DocumentRecord document, int page, byte[] photo, DecodedPhoto decoded, StepTimes steps, CancellationToken cancellationToken)
    {
        ReferencePage reference = await references.GetAsync(applicationId, document, page, cancellationToken);
        steps.Done("approved page reference");
        return PagePicture.Compare(photo, _options.OcrMaxWidth, decoded.CodeCorners!, reference, _options.Picture);
    }

    private static PageVerdict Verdict(DocumentVerdictKind kind, string? documentId, int page, string detail, List<string> reasons, PictureComparison? picture = null, IEnumerable<Rect>? textRegions = null)
    {
        reasons.Add(detail);
        byte[]? evidence = textRegions is null ? picture?.DifferenceImage : picture?.MarkedWith(textRegions);
        return new PageVerdict(kind, documentId, page, detail.Length > 200 ? detail[..200] : detail, reasons) { DifferenceImage = evidence };
    }
}
