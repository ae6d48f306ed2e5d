namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Where a command stands. <c>queued</c>: signed and stored, waiting for its device to be online;
/// <c>sent</c>: handed to the broker while the device was online; then exactly one final state:
/// <c>ok</c> / <c>refused</c> (the device's <c>cmd-result</c>), <c>expired</c> (no result before
/// its expiry; a queued command past its expiry is never sent) or <c>superseded</c> (a queued
/// <c>set-state</c> made moot by a newer desired state).
/// </summary>
public static class CommandStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Ok = "ok";
    public const string Refused = "refused";
    public const string Expired = "expired";
    public const string Superseded = "superseded";

    public static readonly string[] All = [Queued, Sent, Ok, Refused, Expired, Superseded];

    /// <summary>Still waiting for delivery or for the device's answer.</summary>
    public static bool IsOpen(string status) => status is Queued or Sent;
}
