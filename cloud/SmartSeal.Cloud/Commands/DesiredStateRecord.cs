namespace SmartSeal.Cloud.Commands;

/// <summary>
/// A device's desired state as stored: what it should be (version, enabled, token, revoked ids),
/// who changed it when and why, and what the device last acknowledged (<c>state-applied</c>).
/// </summary>
public sealed class DesiredStateRecord
{
    public string DeviceId { get; set; } = string.Empty;

    public long Version { get; set; }

    public bool Enabled { get; set; } = true;

    public string? Token { get; set; }

    /// <summary>Revoked token ids as a JSON array (column <c>revoked</c>).</summary>
    public string? RevokedJson { get; set; }

    public long UpdatedMs { get; set; }

    public string? UpdatedBy { get; set; }

    public string? Reason { get; set; }

    public long AppliedVersion { get; set; }

    public long? AppliedMs { get; set; }

    public string[] Revoked => RevokedJson is { Length: > 0 } json ? System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? [] : [];

    /// <summary>The device has applied this version (or a later one).</summary>
    public bool Acknowledged => AppliedVersion >= Version && AppliedMs != null;

    internal const string Columns = """
        device_id AS DeviceId, version AS Version, enabled AS Enabled, token AS Token, revoked AS RevokedJson, updated_ms AS UpdatedMs,
        updated_by AS UpdatedBy, reason AS Reason, applied_version AS AppliedVersion, applied_ms AS AppliedMs
        """;
}

/// <summary>What a device should be: the part of the desired state a person or the domain sets.</summary>
public sealed record DesiredValues(bool Enabled, string? Token, string[] Revoked)
{
    public static DesiredValues Of(DesiredStateRecord record) => new(record.Enabled, record.Token, record.Revoked);
}
