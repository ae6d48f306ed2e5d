using System.Text.Json.Nodes;

namespace SmartSeal.Cloud.Tests.Backup;

/// <summary>What the drills do to a backup folder: copy it, damage a file, and rewrite the manifest to cover a swap.</summary>
public static class BackupFolders
{
    public static string Copy(string backup, string copy)
    {
        foreach (string file in Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(backup, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public static void FlipByte(string path, int? at = null)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[at ?? bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Rewrites the manifest's size and hash of one file, as someone covering a swap would.</summary>
    public static void Reseal(string backup, string file)
    {
        string manifestPath = Path.Combine(backup, "manifest.json");
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        byte[] content = File.ReadAllBytes(Path.Combine(backup, file));
        JsonNode entry = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == file)!;
        entry["size"] = content.Length;
        entry["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }
}
