namespace SmartSeal.Cloud.Security;

/// <summary>Writes files that hold secrets (keys, device.json) readable by the owner only.</summary>
public static class SecretFile
{
    public static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public static void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));
}
