using System.Globalization;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Devices;

/// <summary>Key rotations and retirements go into the ledger, on the device's chain <c>device:{id}</c>, with who did them.</summary>
public static class DeviceAudit
{
    public static string ChainOf(string deviceId) => "device:" + deviceId;

    public static LedgerEntry KeyRotated(string deviceId, int keyVersion, string actor, long atMs) =>
        Entry(deviceId, actor, atMs, DeviceChanges.KeyRotated, new() { ["keyVersion"] = keyVersion.ToString(CultureInfo.InvariantCulture) });

    public static LedgerEntry Retired(string deviceId, string actor, long atMs) => Entry(deviceId, actor, atMs, DeviceChanges.Retired, []);

    private static LedgerEntry Entry(string deviceId, string actor, long atMs, string action, Dictionary<string, string> fields)
    {
        fields["action"] = action;
        return new LedgerEntry { SealId = ChainOf(deviceId), Kind = LedgerKinds.Admin, AtMs = atMs, DeviceId = deviceId, Actor = actor, Fields = fields };
    }
}
