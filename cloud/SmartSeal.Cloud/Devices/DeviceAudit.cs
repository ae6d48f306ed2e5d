namespace SmartSeal.Cloud.Devices;

/// <summary>Key rotations and retirements go into the ledger (<see cref="Organisation.IAdminAuditTrail"/>), on the device's chain <c>device:{id}</c>, with who did them.</summary>
public static class DeviceAudit
{
    public static string ChainOf(string deviceId) => "device:" + deviceId;
}
