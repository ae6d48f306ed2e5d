namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Content-addressed photo bytes: an object is named by the SHA-256 of the original JPEG (lowercase
/// hex) and its variant. Objects never change once written, so writing one that exists is a no-op
/// and readers may cache forever.
/// </summary>
public interface IPhotoStore
{
    /// <summary>Where the objects go, for logs and health (no secrets).</summary>
    string Describe();

    Task<bool> ExistsAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken);

    /// <summary>Stores the bytes atomically (readers see all of them or nothing); an existing object is left as it is.</summary>
    Task PutAsync(string sha256, PhotoVariant variant, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The object's bytes as a stream, or null when there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken);

    /// <summary>Removes an object (administration and tests); false when there was none.</summary>
    Task<bool> DeleteAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken);
}
