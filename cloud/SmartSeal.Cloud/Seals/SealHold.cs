namespace SmartSeal.Cloud.Seals;

/// <summary>
/// A seal a keeper disabled remotely, and what that did: the lock carrying it (if any) was
/// disabled too — the desired state and set-state command the device acknowledges.
/// </summary>
public sealed record SealHold(string SealId, bool Disabled, long SinceMs, string By, string Reason, string? LockId, Commands.RemoteStateResponse? Lock);
