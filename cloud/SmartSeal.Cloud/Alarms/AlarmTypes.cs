using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Alarms;

/// <summary>
/// Alarm type names: the devices' own (wire names of <see cref="AlarmType"/>) and the ones only the
/// cloud can see. One place decides each type's severity.
/// </summary>
public static class AlarmTypes
{
    public const string ForgedMessage = "forged-message";
    public const string ReplayedMessage = "replayed-message";
    public const string UnknownDevice = "unknown-device";
    public const string RateLimited = "rate-limited";
    public const string OfflineTooLong = "offline-too-long";
    public const string LowBattery = "low-battery";
    public const string Tamper = "tamper";
    public const string ForcedDoor = "forced-door";
    public const string PhotoIncomplete = "photo-incomplete";
    public const string PhotoRefused = "photo-refused";

    /// <summary>A lock's after-photo does not show the checked page stamped (Documents/StampEvidenceChecker).</summary>
    public const string StampEvidenceMismatch = "stamp-evidence-mismatch";

    public static string Of(AlarmType type) => WireNames.AlarmTypes[(int)type] ?? "unknown";

    public static AlarmSeverity SeverityOf(string type) => type switch
    {
        "tamper" or "forced-door" or "seal-removed" or "wrong-seal" or "forged-message" or "replayed-message" or "geofence-exit" or UnknownDevice
            or Checkouts.CheckoutAlarms.TokenOveruse or Checkouts.CheckoutAlarms.UseNotCovered or Checkouts.CheckoutAlarms.UseOutsideFence => AlarmSeverity.Critical,
        "low-battery" or "door-held-open" or "tag-unreadable" or "camera-failure" or "repeated-refusals" or "storage-full" or OfflineTooLong or RateLimited or "unlock-held-too-long" or PhotoIncomplete or PhotoRefused or StampEvidenceMismatch
            or Checkouts.CheckoutAlarms.OverdueReturn or Checkouts.CheckoutAlarms.UseOutOfOrder => AlarmSeverity.Warning,
        _ => AlarmSeverity.Info,
    };
}
