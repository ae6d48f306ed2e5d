using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartSeal.Cloud.Backup;

/// <summary>
/// <c>manifest.json</c>, written last into a backup folder (its presence means the backup is whole):
/// the database dump's kind and every file with its size and SHA-256, so a restore can refuse a
/// damaged or incomplete backup before it changes anything.
/// </summary>
public sealed record BackupManifest(int Format, long CreatedMs, string Provider, string DatabaseFile, IReadOnlyList<BackupFile> Files)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}

/// <summary>One file of a backup: its path inside the backup folder (forward slashes), size and SHA-256 (hex).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);
