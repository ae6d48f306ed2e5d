namespace SmartSeal.Cloud.Devices;

/// <summary>A registered device as the registry keeps it (no secret: its key is derived from the master key and <see cref="KeyVersion"/>).</summary>
public sealed record Device
{
    public required string Id { get; init; }

    public required DeviceKind Kind { get; init; }

    public int KeyVersion { get; init; } = 1;

    public string? Model { get; init; }

    public string? Firmware { get; init; }

    public string? OrgUnit { get; init; }

    public int Compartments { get; init; }

    public bool Online { get; init; }

    public string? StatusReason { get; init; }

    public long LastSeenMs { get; init; }

    public int? BatteryPercent { get; init; }

    public long? LastFixMs { get; init; }

    public int? LastLatE7 { get; init; }

    public int? LastLonE7 { get; init; }

    public int? LastAccuracyM { get; init; }

    public long CreatedMs { get; init; }

    public bool Retired { get; init; }
}

public enum DeviceKind
{
    Cabinet,
    Lock,
    Gate,
}
