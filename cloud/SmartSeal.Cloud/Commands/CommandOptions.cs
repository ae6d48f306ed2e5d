namespace SmartSeal.Cloud.Commands;

/// <summary>Commands to devices and their queue for offline devices (cloud/README.md "Commands and desired state").</summary>
public sealed class CommandOptions
{
    public const string Section = "SmartSeal:Commands";

    /// <summary>How long a command may wait for its device when the caller names no TTL (seconds; at most 24 h).</summary>
    public int DefaultTtlSeconds { get; set; } = 3600;

    /// <summary>How often commands past their expiry are marked expired (seconds).</summary>
    public int SweepIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// How long after its expiry a sent command may still get its result before it counts as
    /// expired (seconds): the device accepts until expiry plus its clock skew, and an answer may
    /// sit on its flash for a while.
    /// </summary>
    public int ResultGraceSeconds { get; set; } = 30;
}
