namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// The witness as a directory (another disk, a mounted write-once share): each object is written
/// to a temporary file and then linked to its name without replacing, so a reader sees all of it
/// or nothing and an existing name is never overwritten. Files are made read-only.
/// </summary>
public sealed class FileLedgerWitness(string directory) : ILedgerWitness
{
    private const string Temporary = ".tmp";

    public string Directory { get; } = Path.GetFullPath(directory);

    public string Describe() => "directory " + Directory;

    public async Task<bool> TryAddAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string path = PathOf(name);
        if (File.Exists(path))
        {
            return false;
        }

        System.IO.Directory.CreateDirectory(Directory);
        string temporary = Path.Combine(Directory, $".{name}.{Guid.NewGuid():n}{Temporary}");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await file.WriteAsync(content, cancellationToken);
            }

            File.Move(temporary, path, overwrite: false); // fails when the name appeared meanwhile
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            }

            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Select(p => Path.GetFileName(p)).Where(n => n[0] != '.').Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(names);
    }

    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        string path = PathOf(name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(string name)
    {
        if (name.Length == 0 || name[0] == '.' || name.IndexOfAny(['/', '\\']) >= 0 || name.EndsWith(Temporary, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a witness object name", nameof(name));
        }

        return Path.Combine(Directory, name);
    }
}
