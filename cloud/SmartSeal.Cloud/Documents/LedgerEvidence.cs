using System.Text.Json;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Documents;

/// <summary>The page check's verdict on an attempt's before-photo, reasons as a list.</summary>
public sealed record EvidenceVerdict(string Verdict, IReadOnlyList<string> Reasons, long ElapsedMs, string PhotoId, long CreatedMs, string? DifferenceImageUrl = null);

/// <summary>The after-stamp check of an attempt (<see cref="StampEvidenceChecker"/>).</summary>
public sealed record EvidenceAfterCheck(string Result, bool Flagged, IReadOnlyList<string> Reasons, int InkBefore, int InkAfter, string AfterPhotoId, long CreatedMs);

/// <summary>
/// Everything that backs one ledger entry of a device: the entry and its place in the chain, the
/// approved page it was allowed on (<see cref="PageImageUrl"/>), the photos of its attempt (stills
/// and stamping-video clips, <see cref="PhotoView.IsClip"/>), the verdict with its reasons, and the after-stamp check.
/// </summary>
public sealed record EntryEvidence(
    LedgerEntryView Entry,
    bool ChainVerified,
    string? ChainProblem,
    string? AttemptId,
    string? DocumentId,
    string? DocumentName,
    int? Page,
    string? PageImageUrl,
    IReadOnlyList<PhotoView> Photos,
    EvidenceVerdict? Verdict,
    EvidenceAfterCheck? AfterCheck);

/// <summary>Gathers <see cref="EntryEvidence"/> for a ledger entry (the attempt is in the entry's fields).</summary>
public sealed class LedgerEvidence(Database database, PhotoCatalog catalog, LedgerVerifier verifier)
{
    /// <summary>
    /// The entry's evidence; <paramref name="verifyChain"/> re-checks the seal's whole chain (for
    /// showing the entry, not for serving one of its images).
    /// </summary>
    public async Task<EntryEvidence> ForAsync(StoredLedgerEntry entry, CancellationToken cancellationToken, bool verifyChain = true)
    {
        LedgerEntryView view = LedgerEntryView.Of(entry);
        LedgerVerification? chain = verifyChain ? await verifier.VerifyAsync(entry.SealId, cancellationToken) : null;
        LedgerProblem? problem = chain is null ? null : chain.Problems.FirstOrDefault(p => p.EntryId == entry.Id) ?? chain.FirstProblem;
        bool verified = chain?.Intact ?? false;
        string? attempt = view.Fields.TryGetValue("attempt", out string? a) && a.Length > 0 ? a : await CabinetAttemptAsync(entry, view, cancellationToken);
        if (attempt is null || entry.DeviceId is null)
        {
            return new EntryEvidence(view, verified, problem?.Problem, null, null, null, null, null, [], null, null);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        VerdictRecord? verdict = await DocumentStore.VerdictForAttemptAsync(entry.DeviceId, attempt, connection);
        StampEvidenceRecord? after = await DocumentStore.EvidenceForAttemptAsync(entry.DeviceId, attempt, connection);
        string? documentId = view.Fields.TryGetValue("document", out string? d) && d.Length > 0 ? d : verdict?.DocumentId;
        int? page = view.Fields.TryGetValue("page", out string? p) && int.TryParse(p, out int n) && n > 0 ? n : verdict?.Page;
        DocumentRecord? document = documentId is null ? null : await DocumentStore.FindAsync(documentId, connection, null);
        IReadOnlyList<PhotoView> photos = await catalog.AttemptPhotosAsync(entry.DeviceId, attempt, cancellationToken);

        return new EntryEvidence(
            view, verified, problem?.Problem, attempt, document?.Id ?? documentId, document?.Name, page,
            document is not null && page is not null ? $"/api/ledger/{entry.Id}/evidence/page.png" : null,
            photos,
            verdict is null ? null : new EvidenceVerdict(verdict.Verdict, List(verdict.Reasons), verdict.ElapsedMs, verdict.PhotoId, verdict.CreatedMs,
                verdict.HasDifferenceImage ? $"/api/ledger/{entry.Id}/evidence/difference.jpg" : null),
            after is null ? null : new EvidenceAfterCheck(after.Result, after.Flagged, List(after.Reasons), after.InkBefore, after.InkAfter, after.AfterPhotoId, after.CreatedMs));
    }

    /// <summary>The page check's evidence image for the entry's attempt (rectified photo, differences marked), or null.</summary>
    public async Task<byte[]?> DifferenceImageAsync(StoredLedgerEntry entry, CancellationToken cancellationToken)
    {
        LedgerEntryView view = LedgerEntryView.Of(entry);
        if (!view.Fields.TryGetValue("attempt", out string? attempt) || attempt.Length == 0 || entry.DeviceId is null)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await DocumentStore.DifferenceImageAsync(entry.DeviceId, attempt, connection);
    }

    /// <summary>
    /// A cabinet's hand-over or return names its photo, not its attempt: the attempt is the one the
    /// photo was taken under (a hand-over's is its cabinet token, which also names the clip when the photo failed).
    /// </summary>
    private async Task<string?> CabinetAttemptAsync(StoredLedgerEntry entry, LedgerEntryView view, CancellationToken cancellationToken)
    {
        if (entry.DeviceId is null || entry.Kind is not (LedgerKinds.Dispense or LedgerKinds.Return))
        {
            return null;
        }

        if (view.Fields.TryGetValue("photo", out string? photo) && photo.Length > 0
            && (await catalog.RefsOfDevicePhotosAsync(entry.DeviceId, [photo], cancellationToken)).FirstOrDefault() is { AttemptId: { Length: > 0 } attempt })
        {
            return attempt;
        }

        return entry.Kind == LedgerKinds.Dispense ? entry.TokenId : null;
    }

    private static IReadOnlyList<string> List(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [json];
        }
    }
}
