using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>A disk store that refuses writes while <see cref="Failing"/> is set (an unreachable blob service).</summary>
public sealed class FailingPhotoStore(string root) : IPhotoStore
{
    private readonly DiskPhotoStore _inner = new(root);

    public volatile bool Failing = true;

    public string Describe() => "failing " + _inner.Describe();

    public Task<bool> ExistsAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) => _inner.ExistsAsync(sha256, variant, cancellationToken);

    public Task PutAsync(string sha256, PhotoVariant variant, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Failing ? throw new IOException("photo store unreachable (test)") : _inner.PutAsync(sha256, variant, content, cancellationToken);

    public Task<Stream?> OpenReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) => _inner.OpenReadAsync(sha256, variant, cancellationToken);

    public Task<bool> DeleteAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) => _inner.DeleteAsync(sha256, variant, cancellationToken);
}
