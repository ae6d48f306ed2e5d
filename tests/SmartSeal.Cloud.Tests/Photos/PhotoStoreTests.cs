using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>The store contract on the disk backend (a fresh folder per test).</summary>
public sealed class DiskPhotoStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "smartseal-photo-store", Guid.NewGuid().ToString("n"));

    [Theory]
    [MemberData(nameof(PhotoStoreContract.Names), MemberType = typeof(PhotoStoreContract))]
    public Task Contract(string name) => PhotoStoreContract.RunAsync(name, new DiskPhotoStore(_root));

    [Fact]
    public async Task Files_are_sharded_by_hash_prefix_and_no_temporary_file_is_left()
    {
        byte[] jpeg = TestJpeg.Create(seed: 7);
        string hash = PhotoHash.Of(jpeg);
        var store = new DiskPhotoStore(_root);

        await store.PutAsync(hash, PhotoVariant.Original, jpeg, default);

        string expected = Path.Combine(_root, hash[..2], hash[2..4], hash + ".jpg");
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(expected));
        Assert.Equal([expected], Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

/// <summary>The same store contract on the Azure Blob backend, against Azurite (a container per test).</summary>
public sealed class AzureBlobPhotoStoreTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [AzuriteTheory]
    [MemberData(nameof(PhotoStoreContract.Names), MemberType = typeof(PhotoStoreContract))]
    public Task Contract(string name) =>
        PhotoStoreContract.RunAsync(name, new AzureBlobPhotoStore(azurite.ConnectionString, "photos-" + Guid.NewGuid().ToString("n")));

    [AzuriteFact]
    public async Task Blobs_are_named_like_the_disk_files_and_typed_as_jpeg()
    {
        string container = "photos-" + Guid.NewGuid().ToString("n");
        byte[] jpeg = TestJpeg.Create(seed: 8);
        string hash = PhotoHash.Of(jpeg);

        await new AzureBlobPhotoStore(azurite.ConnectionString, container).PutAsync(hash, PhotoVariant.Original, jpeg, default);

        var blob = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, container).GetBlobClient($"{hash[..2]}/{hash[2..4]}/{hash}.jpg");
        Azure.Storage.Blobs.Models.BlobProperties properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("image/jpeg", properties.ContentType);
        Assert.Equal(jpeg.Length, properties.ContentLength);
    }
}
