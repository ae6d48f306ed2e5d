namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Photos as files under one folder, sharded <c>ab/cd/abcd….jpg</c> by hash prefix. A write goes to
/// a temporary file in the same folder, is flushed to disk, then renamed into place: a crash
/// leaves either the whole photo or a stray <c>.tmp</c>, never a torn JPEG under a real name.
/// </summary>
public sealed class DiskPhotoStore(string root) : IPhotoStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Describe() => "disk " + Root;

    public Task<bool> ExistsAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(sha256, variant)));

    public async Task PutAsync(string sha256, PhotoVariant variant, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string path = PathOf(sha256, variant);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer stored the same content first: same name, same bytes.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(PathOf(sha256, variant), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        string path = PathOf(sha256, variant);
        bool existed = File.Exists(path);
        File.Delete(path);
        return Task.FromResult(existed);
    }

    private string PathOf(string sha256, PhotoVariant variant) => Path.Combine(Root, PhotoHash.ObjectName(sha256, variant, Path.DirectorySeparatorChar));
}
