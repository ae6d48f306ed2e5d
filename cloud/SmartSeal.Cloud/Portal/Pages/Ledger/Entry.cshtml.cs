using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Devices;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal.Pages.Ledger;

/// <summary>
/// One ledger entry with its evidence (<see cref="LedgerEvidence"/>): its fields, its place in the
/// seal's chain and whether the chain verifies, the approved page the stamp was allowed on beside
/// the lock's before- and after-photos, the page check's verdict with its reasons, and the
/// after-stamp check. Images come through this page's handlers (the API takes bearer tokens only),
/// limited to the photos of the entry's own attempt.
/// </summary>
public sealed class EntryModel(
    LedgerQueries queries, LedgerReader reader, LedgerEvidence evidence, LedgerExportRows rows, LedgerCheckpoints checkpoints, DeviceRepository devices,
    DocumentService documents, IPhotoStore photos, PhotoThumbnailer thumbnails, IStringLocalizer<PortalText> text, PortalClock clock,
    ESealing.SealedFiles sealedFiles) : PageModel
{
    /// <summary>An e-stamp's sealed PDF (SHA-256), downloadable beside the entry; null for other kinds.</summary>
    public string? SealedSha256 { get; private set; }

    public EntryEvidence Evidence { get; private set; } = null!;

    /// <summary>The entry in people's words: labelled fields, names, local times.</summary>
    public LedgerEntryFacts Facts { get; private set; } = null!;

    /// <summary>The kind in words (盖章, 归还...).</summary>
    public string KindText { get; private set; } = "";

    /// <summary>The device by what it is and where it belongs ("印章锁 · 广东省分公司"), its id secondary; null for an entry made by no device.</summary>
    public string? DeviceText { get; private set; }

    /// <summary>Where it happened (a lock's fix): latitude, longitude, accuracy in metres.</summary>
    public (double Lat, double Lon, double AccuracyM)? Position { get; private set; }

    /// <summary>The signed checkpoint the entry falls under, and what is wrong with it (null: it verifies); null while none covers it yet.</summary>
    public (LedgerCheckpoint Checkpoint, string? Problem)? Checkpoint { get; private set; }

    public PhotoView? Before => Evidence.Photos.FirstOrDefault(p => p.Purpose == "before" && !p.IsClip);

    public PhotoView? After => Evidence.Photos.LastOrDefault(p => p.Purpose == "after" && !p.IsClip);

    /// <summary>A stamp or refusal (the entry names its attempt): the approved page and the before/after pair are shown.</summary>
    public bool ShowsStamp => Evidence.Entry.Fields.ContainsKey("attempt");

    /// <summary>Stills other than the before/after pair (a cabinet's hand-over and return photos).</summary>
    public IEnumerable<PhotoView> OtherStills => Evidence.Photos.Where(p => !p.IsClip && p.Purpose is not ("before" or "after"));

    /// <summary>Stamping-video clips of the attempt, shown beside its photos.</summary>
    public IEnumerable<PhotoView> Clips => Evidence.Photos.Where(p => p.IsClip);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } entry)
        {
            return this.NotFoundPage();
        }

        Evidence = await evidence.ForAsync(entry, cancellationToken);
        IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(entry.Payload);
        LedgerExportRow row = (await rows.EnrichAsync([entry], cancellationToken))[0];
        Facts = LedgerEntryFacts.Of(row, fields, text, clock);
        KindText = LedgerEntryFacts.Kind(text, entry.Kind);
        if (entry.DeviceId is { } deviceId && await devices.FindAsync(deviceId, cancellationToken) is { } device)
        {
            DeviceText = text["DeviceKind." + device.Kind.ToString().ToLowerInvariant()].Value;
        }

        if (Coordinate(fields, "lat") is { } lat && Coordinate(fields, "lon") is { } lon)
        {
            Position = (lat, lon, Coordinate(fields, "accuracyM") ?? 0);
        }

        Checkpoint = await checkpoints.CoveringAsync(entry.SealId, entry.Seq, entry.RecordedMs, cancellationToken);
        SealedSha256 = SealedFileOf(entry);
        return Page();
    }

    /// <summary>The approved copy's page (with its code) the entry's stamp was allowed on.</summary>
    public async Task<IActionResult> OnGetPageImageAsync(long id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } entry && await EvidenceApi.PageImageAsync(entry, evidence, documents, cancellationToken) is { } png
            ? File(png, "image/png")
            : NotFound();

    /// <summary>The page check's evidence image: the before-photo rectified onto the approved page, differences marked.</summary>
    public async Task<IActionResult> OnGetDifferenceImageAsync(long id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } entry && await evidence.DifferenceImageAsync(entry, cancellationToken) is { } jpeg
            ? File(jpeg, "image/jpeg")
            : NotFound();

    /// <summary>A photo of the entry's attempt, whole or as a thumbnail, or one of its clips (range requests, so the player can seek).</summary>
    public async Task<IActionResult> OnGetPhotoAsync(long id, string sha256, bool thumbnail, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } entry
            || (await evidence.ForAsync(entry, cancellationToken, verifyChain: false)).Photos.FirstOrDefault(p => p.Sha256 == sha256) is not { } shown)
        {
            return NotFound();
        }

        if (shown.IsClip)
        {
            return await photos.OpenReadAsync(sha256, PhotoVariant.Original, cancellationToken) is { } clip
                ? new FileStreamResult(clip, PhotoMedia.ContentType(PhotoMedia.Mp4)) { EnableRangeProcessing = true }
                : NotFound();
        }

        await using Stream? stream = await photos.OpenReadAsync(sha256, PhotoVariant.Original, cancellationToken);
        if (stream is null)
        {
            return NotFound();
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        byte[] jpeg = buffer.ToArray();
        return File(thumbnail ? await thumbnails.CreateAsync(jpeg, cancellationToken) ?? jpeg : jpeg, "image/jpeg");
    }

    /// <summary>An e-stamp's sealed PDF, stored by its hash (issue 16).</summary>
    public async Task<IActionResult> OnGetSealedAsync(long id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } entry && SealedFileOf(entry) is { } sha256 && await sealedFiles.GetAsync(sha256, cancellationToken) is { } pdf
            ? File(pdf, "application/pdf", $"{sha256[..12]}.sealed.pdf")
            : NotFound();

    private static string? SealedFileOf(StoredLedgerEntry entry) =>
        entry.Kind == ESealing.ESealingLedgerKinds.ESeal && LedgerCanon.Fields(entry.Payload).TryGetValue("sealedSha256", out string? sha256) ? sha256 : null;

    private static double? Coordinate(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : null;

    private async Task<StoredLedgerEntry?> FindAsync(long id, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry && await reader.CanReadChainAsync(LedgerAudience.Of(User), entry.SealId, cancellationToken) ? entry : null;
}
