namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// A temporary copy of a model folder with one byte of one file flipped: the network would still load and
/// run, just differently, so only the hash check can refuse it. Deleted on dispose.
/// </summary>
internal sealed class TamperedModelFolder : IDisposable
{
    public TamperedModelFolder(string source, string file, int offset)
    {
        Path = Directory.CreateTempSubdirectory("tampered-model-").FullName;
        foreach (string each in Directory.GetFiles(source))
        {
            File.Copy(each, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(each)));
        }

        string target = System.IO.Path.Combine(Path, file);
        byte[] bytes = File.ReadAllBytes(target);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(target, bytes);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, true);
}
