using Microsoft.AspNetCore.Mvc;
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
public sealed class EntryModel(LedgerQueries queries, LedgerReader reader, LedgerEvidence evidence, DocumentService documents, IPhotoStore photos, PhotoThumbnailer thumbnails) : PageModel
{
    public EntryEvidence Evidence { get; private set; } = null!;

    public PhotoView? Before => Evidence.Photos.FirstOrDefault(p => p.Purpose == "before");

    public PhotoView? After => Evidence.Photos.LastOrDefault(p => p.Purpose == "after");

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } entry)
        {
            return this.NotFoundPage();
        }

        Evidence = await evidence.ForAsync(entry, cancellationToken);
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

    /// <summary>A photo of the entry's attempt, whole or as a thumbnail.</summary>
    public async Task<IActionResult> OnGetPhotoAsync(long id, string sha256, bool thumbnail, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } entry
            || !(await evidence.ForAsync(entry, cancellationToken, verifyChain: false)).Photos.Any(p => p.Sha256 == sha256))
        {
            return NotFound();
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

    private async Task<StoredLedgerEntry?> FindAsync(long id, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } entry && await reader.CanReadChainAsync(LedgerAudience.Of(User), entry.SealId, cancellationToken) ? entry : null;
}
