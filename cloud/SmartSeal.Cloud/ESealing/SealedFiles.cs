using System.Security.Cryptography;

namespace SmartSeal.Cloud.ESealing;

/// <summary>Sealed PDFs stored by their SHA-256 ({data}/e-sealed/ab/abcd….pdf): the same bytes are one file, and the name proves the content.</summary>
public sealed class SealedFiles(string directory)
{
    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the file (atomically: a temporary name, then moved) and returns its hash.</summary>
    public async Task<string> PutAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        string sha = Sha256Of(bytes);
        string path = PathOf(sha);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return sha;
    }

    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken) =>
        IsHash(sha256) && File.Exists(PathOf(sha256)) ? await File.ReadAllBytesAsync(PathOf(sha256), cancellationToken) : null;

    public void Delete(string sha256)
    {
        if (IsHash(sha256))
        {
            File.Delete(PathOf(sha256));
        }
    }

    private static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private string PathOf(string sha256) => Path.Combine(directory, sha256[..2], sha256 + ".pdf");
}
