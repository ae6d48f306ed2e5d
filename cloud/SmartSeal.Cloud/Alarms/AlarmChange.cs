namespace SmartSeal.Cloud.Alarms;

/// <summary>What happened to an alarm.</summary>
public enum AlarmChangeKind
{
    /// <summary>Opened (no active alarm of this device, type and compartment existed).</summary>
    Raised,

    /// <summary>Raised again while active: counted as another occurrence, not a new alarm.</summary>
    Repeated,

    /// <summary>Someone took note of it; it stays active until cleared.</summary>
    Acknowledged,

    /// <summary>No longer active (by the device, a rule or a person).</summary>
    Cleared,
}

/// <summary>An alarm opened, counted again, acknowledged or cleared.</summary>
public sealed record AlarmChange(
    long Id,
    string DeviceId,
    string Type,
    AlarmSeverity Severity,
    int Compartment,
    AlarmChangeKind Kind,
    int Occurrences,
    string? Detail,
    long AtMs,
    string? By = null,
    string? Comment = null)
{
    public bool Active => Kind != AlarmChangeKind.Cleared;

    public bool IsNew => Kind == AlarmChangeKind.Raised;
}
