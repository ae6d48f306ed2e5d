using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// What every <see cref="IPhotoStore"/> backend must do, written once; each backend's test class
/// runs every case by name against its own store.
/// </summary>
public static class PhotoStoreContract
{
    private static readonly Dictionary<string, Func<IPhotoStore, Task>> Cases = new()
    {
        ["round-trip"] = RoundTripAsync,
        ["missing-object"] = MissingObjectAsync,
        ["write-once"] = WriteOnceAsync,
        ["variants-are-separate"] = VariantsAreSeparateAsync,
        ["concurrent-writers"] = ConcurrentWritersAsync,
        ["delete"] = DeleteAsync,
        ["rejects-bad-names"] = RejectsBadNamesAsync,
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    public static Task RunAsync(string name, IPhotoStore store) => Cases[name](store);

    private static async Task RoundTripAsync(IPhotoStore store)
    {
        byte[] jpeg = TestJpeg.Create(seed: 101);
        string hash = PhotoHash.Of(jpeg);
        Assert.False(await store.ExistsAsync(hash, PhotoVariant.Original, default));

        await store.PutAsync(hash, PhotoVariant.Original, jpeg, default);

        Assert.True(await store.ExistsAsync(hash, PhotoVariant.Original, default));
        Assert.Equal(jpeg, await ReadAsync(store, hash, PhotoVariant.Original));
    }

    private static async Task MissingObjectAsync(IPhotoStore store)
    {
        string hash = PhotoHash.Of([1, 2, 3]);
        Assert.Null(await store.OpenReadAsync(hash, PhotoVariant.Original, default));
        Assert.False(await store.ExistsAsync(hash, PhotoVariant.Thumbnail, default));
    }

    private static async Task WriteOnceAsync(IPhotoStore store)
    {
        byte[] first = TestJpeg.Create(seed: 102);
        string hash = PhotoHash.Of(first);
        await store.PutAsync(hash, PhotoVariant.Original, first, default);

        // Content-addressed: a second write under the same name is a no-op, whatever it carries.
        await store.PutAsync(hash, PhotoVariant.Original, new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, default);

        Assert.Equal(first, await ReadAsync(store, hash, PhotoVariant.Original));
    }

    private static async Task VariantsAreSeparateAsync(IPhotoStore store)
    {
        byte[] original = TestJpeg.Create(seed: 103);
        byte[] thumbnail = TestJpeg.Create(64, 48, seed: 103);
        string hash = PhotoHash.Of(original);
        await store.PutAsync(hash, PhotoVariant.Original, original, default);
        Assert.False(await store.ExistsAsync(hash, PhotoVariant.Thumbnail, default));

        await store.PutAsync(hash, PhotoVariant.Thumbnail, thumbnail, default);

        Assert.Equal(original, await ReadAsync(store, hash, PhotoVariant.Original));
        Assert.Equal(thumbnail, await ReadAsync(store, hash, PhotoVariant.Thumbnail));
    }

    private static async Task ConcurrentWritersAsync(IPhotoStore store)
    {
        byte[] jpeg = TestJpeg.Create(1600, 1200, seed: 104);
        string hash = PhotoHash.Of(jpeg);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.PutAsync(hash, PhotoVariant.Original, jpeg, default))));

        Assert.Equal(jpeg, await ReadAsync(store, hash, PhotoVariant.Original));
    }

    private static async Task DeleteAsync(IPhotoStore store)
    {
        byte[] jpeg = TestJpeg.Create(seed: 105);
        string hash = PhotoHash.Of(jpeg);
        await store.PutAsync(hash, PhotoVariant.Original, jpeg, default);

        Assert.True(await store.DeleteAsync(hash, PhotoVariant.Original, default));
        Assert.False(await store.DeleteAsync(hash, PhotoVariant.Original, default));
        Assert.Null(await store.OpenReadAsync(hash, PhotoVariant.Original, default));
    }

    private static async Task RejectsBadNamesAsync(IPhotoStore store)
    {
        // Names come from URLs: anything but 64 lowercase hex never reaches a path or a blob name.
        foreach (string bad in new[] { "../../etc/passwd", new string('A', 64), new string('a', 63), "zz" + new string('0', 62) })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(bad, PhotoVariant.Original, default));
        }
    }

    private static async Task<byte[]> ReadAsync(IPhotoStore store, string hash, PhotoVariant variant)
    {
        await using Stream? stream = await store.OpenReadAsync(hash, variant, default);
        Assert.NotNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
