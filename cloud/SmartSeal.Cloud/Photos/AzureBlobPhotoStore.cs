using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Photos as block blobs in one container (Azure Storage or Azurite), named like the disk store
/// (<c>ab/cd/abcd….jpg</c>). Uploads are conditional on the blob not existing (If-None-Match: *),
/// so concurrent writers of the same photo cannot overwrite each other and a single upload is
/// atomic by the service's own rules (a blob is visible only once fully committed).
/// </summary>
public sealed class AzureBlobPhotoStore : IPhotoStore
{
    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _containerReady;

    public AzureBlobPhotoStore(string connectionString, string container)
    {
        _container = new BlobContainerClient(connectionString, container);
    }

    public string Describe() => $"azure-blob {_container.Uri.GetLeftPart(UriPartial.Path)}";

    public async Task<bool> ExistsAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        return (await Blob(sha256, variant).ExistsAsync(cancellationToken)).Value;
    }

    public async Task PutAsync(string sha256, PhotoVariant variant, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await Blob(sha256, variant).UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg", CacheControl = "private, max-age=31536000, immutable" },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there: content-addressed, so it holds the same bytes.
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            Response<BlobDownloadStreamingResult> download = await Blob(sha256, variant).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        return (await Blob(sha256, variant).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
    }

    private BlobClient Blob(string sha256, PhotoVariant variant) => _container.GetBlobClient(PhotoHash.ObjectName(sha256, variant));

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken);
        try
        {
            if (!_containerReady)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _containerReady = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }
}
