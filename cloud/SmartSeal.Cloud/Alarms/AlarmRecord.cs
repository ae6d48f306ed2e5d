namespace SmartSeal.Cloud.Alarms;

/// <summary>One row of <c>alarms</c>: an alarm with its whole life (raised, counted, acknowledged, cleared).</summary>
public sealed record AlarmRecord
{
    /// <summary>The select list that maps a row onto this record.</summary>
    public const string Columns = """
        id AS Id, device_id AS DeviceId, type AS Type, severity AS Severity, compartment AS Compartment, active AS Active,
        detail AS Detail, occurrences AS Occurrences, raised_ms AS RaisedMs, last_ms AS LastMs,
        acked_by AS AckedBy, acked_ms AS AckedMs, ack_comment AS AckComment,
        cleared_by AS ClearedBy, cleared_ms AS ClearedMs, clear_comment AS ClearComment
        """;

    public long Id { get; init; }

    public string DeviceId { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public string Severity { get; init; } = string.Empty;

    public int Compartment { get; init; }

    public bool Active { get; init; }

    public string? Detail { get; init; }

    public int Occurrences { get; init; }

    public long RaisedMs { get; init; }

    public long LastMs { get; init; }

    public string? AckedBy { get; init; }

    public long? AckedMs { get; init; }

    public string? AckComment { get; init; }

    public string? ClearedBy { get; init; }

    public long? ClearedMs { get; init; }

    public string? ClearComment { get; init; }

    public bool Acknowledged => AckedMs != null;

    public AlarmSeverity SeverityLevel => Enum.TryParse(Severity, ignoreCase: true, out AlarmSeverity s) ? s : AlarmSeverity.Info;

    public AlarmChange ToChange(AlarmChangeKind kind, long atMs, string? by, string? comment) =>
        new(Id, DeviceId, Type, SeverityLevel, Compartment, kind, Occurrences, Detail, atMs, by, comment);
}
