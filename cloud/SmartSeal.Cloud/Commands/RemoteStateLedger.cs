using System.Globalization;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Ledger entries of a device's remote disable/enable, on the chain <c>device:{id}</c>: the
/// change (who, why, which desired-state version) and the device's acknowledgement with the time
/// between them.
/// </summary>
public static class RemoteStateLedger
{
    public const string Kind = "remote-state";
    public const string AppliedKind = "remote-state-applied";

    public static string ChainOf(string deviceId) => SmartSeal.Cloud.Devices.DeviceAudit.ChainOf(deviceId);

    public static LedgerEntry Changed(string deviceId, bool enabled, long version, string? reason, string? by, long atMs) => new()
    {
        SealId = ChainOf(deviceId), Kind = Kind, AtMs = atMs, DeviceId = deviceId, Actor = by,
        Fields = new Dictionary<string, string>
        {
            ["action"] = enabled ? "enable" : "disable",
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["reason"] = reason ?? string.Empty,
        },
    };

    public static LedgerEntry Applied(string deviceId, bool enabled, long version, long changedMs, long appliedMs, string source) => new()
    {
        SealId = ChainOf(deviceId), Kind = AppliedKind, AtMs = appliedMs, DeviceId = deviceId, Source = source,
        Fields = new Dictionary<string, string>
        {
            ["enabled"] = enabled ? "true" : "false",
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["afterMs"] = (appliedMs - changedMs).ToString(CultureInfo.InvariantCulture),
        },
    };
}
