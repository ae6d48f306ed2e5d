using Microsoft.Extensions.Caching.Memory;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The approved pages' references for the picture comparison, kept between checks: every check of a
/// page compares with the same approved page, so it is rendered (pdftoppm) and its code found once,
/// not per photo. An approved document no longer changes (uploads end with the approval), and the
/// key includes the document's hash all the same. Bounded by <c>ReferenceCacheMegabytes</c>.
/// </summary>
public sealed class ApprovedPageReferences(DocumentService documents, Microsoft.Extensions.Options.IOptions<DocumentOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.ReferenceCacheMegabytes * 1024L * 1024L });

    public async Task<ReferencePage> GetAsync(string applicationId, DocumentRecord document, int page, CancellationToken cancellationToken)
    {
        string key = $"{applicationId}|{document.Id}|{document.Sha256}|{page}";
        if (_cache.TryGetValue(key, out ReferencePage? known) && known is not null)
        {
            return known;
        }

        DocumentResult<byte[]> rendered = await documents.PageImageAsync(applicationId, document.Id, page, PagePicture.ReferenceDpi, cancellationToken);
        if (rendered.Value is null)
        {
            throw new InvalidOperationException($"the approved page {page} of {document.Id} cannot be rendered: {rendered.Problem}");
        }

        ReferencePage reference = ReferencePage.FromPng(rendered.Value);
        _cache.Set(key, reference, new MemoryCacheEntryOptions { Size = reference.Bytes, SlidingExpiration = TimeSpan.FromHours(1) });
        return reference;
    }

    public void Dispose() => _cache.Dispose();
}
