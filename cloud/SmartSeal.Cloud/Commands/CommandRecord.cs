namespace SmartSeal.Cloud.Commands;

/// <summary>A command as stored (without its signed envelope), as the API shows it. Times are Unix ms.</summary>
public sealed class CommandRecord
{
    public string Id { get; set; } = string.Empty;

    public string DeviceId { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    /// <summary>The device's command counter this command carries (its replay guard accepts each value once).</summary>
    public long Counter { get; set; }

    /// <summary>The body as canonical protocol JSON.</summary>
    public string Body { get; set; } = string.Empty;

    public long IssuedMs { get; set; }

    public long ExpiresMs { get; set; }

    public long? SentMs { get; set; }

    public string Status { get; set; } = string.Empty;

    /// <summary>The device's refusal reason (wire name, e.g. <c>token-invalid</c>) when it refused.</summary>
    public string? ResultReason { get; set; }

    public string? ResultDetail { get; set; }

    public long? CompletedMs { get; set; }

    public string? RequestedBy { get; set; }

    /// <summary>For <c>set-state</c>: the desired-state version it carries.</summary>
    public long? DesiredVersion { get; set; }

    internal const string Columns = """
        id AS Id, device_id AS DeviceId, type AS Type, counter AS Counter, body AS Body, issued_ms AS IssuedMs,
        expires_ms AS ExpiresMs, sent_ms AS SentMs, status AS Status, result_reason AS ResultReason,
        result_detail AS ResultDetail, completed_ms AS CompletedMs, requested_by AS RequestedBy, desired_version AS DesiredVersion
        """;
}
