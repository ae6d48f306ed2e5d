using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// After the stamp: is the after-photo the page the before-photo passed as (its page code, else its
/// text), and does it show new red ink? The first failing check decides. Never blocks anything: the
/// stamp has happened; a mismatch is a flag for the auditor.
/// </summary>
public sealed class StampEvidenceChecker(Database database, PageCode codes, TesseractOcr ocr, IOptions<DocumentOptions> options)
{
    private readonly DocumentOptions _options = options.Value;

    public async Task<StampEvidence> CheckAsync(string applicationId, string documentId, int page, byte[]? before, byte[] after, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        if (before is null)
        {
            return Outcome(StampEvidenceResult.NoBefore, "the before-photo is not in the photo store", reasons, 0, 0);
        }

        int inkBefore, inkAfter;
        DecodedPhoto decoded;
        try
        {
            inkBefore = RedInk.PerTenThousand(before);
            inkAfter = RedInk.PerTenThousand(after);
            decoded = PageCodeReader.Decode(after, _options.OcrMaxWidth);
        }
        catch (ArgumentException e)
        {
            return Outcome(StampEvidenceResult.Unreadable, e.Message, reasons, 0, 0);
        }

        reasons.Add($"red ink {inkBefore}/10000 before, {inkAfter}/10000 after");
        if (decoded.CodeText is not null)
        {
            PageCodeContent? code = codes.Decode(decoded.CodeText, out string? problem);
            if (code is null)
            {
                return Outcome(StampEvidenceResult.OtherPage, "after-photo: " + problem, reasons, inkBefore, inkAfter);
            }

            if (code.ApplicationId != applicationId || code.DocumentId != documentId || code.Page != page)
            {
                return Outcome(StampEvidenceResult.OtherPage,
                    $"the after-photo shows {code.DocumentId} page {code.Page} of {code.ApplicationId}, the check passed {documentId} page {page}", reasons, inkBefore, inkAfter);
            }

            reasons.Add($"page code: {documentId} page {page}, as before");
        }
        else
        {
            reasons.Add("no page code readable in the after-photo (the stamp may cover it): text only");
        }

        IReadOnlyList<string> pages;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            pages = await DocumentStore.PageTextsAsync(documentId, connection, null);
        }

        string read;
        try
        {
            read = TextSimilarity.Normalise(await ocr.ReadAsync(decoded.OcrPng, cancellationToken));
        }
        catch (OcrFailedException e)
        {
            return Outcome(StampEvidenceResult.Unreadable, e.Message, reasons, inkBefore, inkAfter);
        }

        if (read.Length < _options.MinOcrCharacters || page > pages.Count)
        {
            return Outcome(StampEvidenceResult.Unreadable, $"only {read.Length} characters readable in the after-photo", reasons, inkBefore, inkAfter);
        }

        double[] scores = pages.Select(text => TextSimilarity.Containment(TextSimilarity.Normalise(text), read)).ToArray();
        double claimed = scores[page - 1];
        int bestOther = Enumerable.Range(0, scores.Length).Where(i => i != page - 1).OrderByDescending(i => scores[i]).DefaultIfEmpty(-1).First();
        reasons.Add($"after-photo text matches page {page} at {TextSimilarity.Percent(claimed)}");
        if (bestOther >= 0 && scores[bestOther] > claimed)
        {
            return Outcome(StampEvidenceResult.OtherPage, $"the after-photo's text is page {bestOther + 1}'s, not page {page}'s", reasons, inkBefore, inkAfter);
        }

        // The stamp may hide some text, so the after-photo is held to a lower bar than the before-photo.
        if (claimed < _options.MatchThreshold * 0.75)
        {
            return Outcome(StampEvidenceResult.OtherPage, $"the after-photo's text is not page {page}'s ({TextSimilarity.Percent(claimed)} match)", reasons, inkBefore, inkAfter);
        }

        if (inkAfter - inkBefore < _options.MinNewInk)
        {
            return Outcome(StampEvidenceResult.NoStamp,
                $"no new seal ink on page {page} ({inkAfter - inkBefore}/10000 more red, {_options.MinNewInk} expected)", reasons, inkBefore, inkAfter);
        }

        return Outcome(StampEvidenceResult.Match, $"page {page} now carries the stamp", reasons, inkBefore, inkAfter);
    }

    private static StampEvidence Outcome(StampEvidenceResult result, string detail, List<string> reasons, int inkBefore, int inkAfter)
    {
        reasons.Add(detail);
        return new StampEvidence(result, reasons, inkBefore, inkAfter);
    }
}
