namespace SmartSeal.Cloud.Backup;

/// <summary>A backup that cannot be made, or a restore refused before anything was changed (damaged, incomplete or foreign backup).</summary>
public sealed class BackupException(string message) : Exception(message);
