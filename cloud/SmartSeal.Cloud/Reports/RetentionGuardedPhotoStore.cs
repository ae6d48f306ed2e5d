using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The configured photo store with deletion of originals refused while <see cref="LedgerRetention"/>
/// holds them (<see cref="RetentionViolationException"/>). Thumbnails can always go: they are
/// made again from the original on the next request.
/// </summary>
public sealed class RetentionGuardedPhotoStore(IPhotoStore inner, LedgerRetention retention) : IPhotoStore
{
    public IPhotoStore Inner => inner;

    public string Describe() => inner.Describe();

    public Task<bool> ExistsAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) => inner.ExistsAsync(sha256, variant, cancellationToken);

    public Task PutAsync(string sha256, PhotoVariant variant, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutAsync(sha256, variant, content, cancellationToken);

    public Task<Stream?> OpenReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) => inner.OpenReadAsync(sha256, variant, cancellationToken);

    public async Task<bool> DeleteAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        if (variant == PhotoVariant.Original && await retention.PhotoHoldAsync(sha256, cancellationToken) is { } hold)
        {
            throw new RetentionViolationException(hold);
        }

        return await inner.DeleteAsync(sha256, variant, cancellationToken);
    }
}
