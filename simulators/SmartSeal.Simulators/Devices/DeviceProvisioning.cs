using SmartSeal.Protocol.Provisioning;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// Who a simulated device is: id, key and key version, and optionally the broker it was
/// provisioned for. Either derived from the master key (as the cloud does) or read from the
/// device's provisioning file (<c>device.json</c>, as the cloud's CLI writes it for a device).
/// </summary>
public sealed record DeviceProvisioning(string DeviceId, byte[] Key, int KeyVersion, string? Broker)
{
    public static DeviceProvisioning FromMaster(byte[] masterKey, string deviceId, int keyVersion = 1) =>
        new(deviceId, DeviceKeys.Derive(masterKey, deviceId, keyVersion), keyVersion, null);

    /// <summary>Reads a provisioning file <c>device.json</c> (hardware-docs/provisioning.md §2) with the protocol's own parser.</summary>
    public static DeviceProvisioning FromFile(string path)
    {
        byte[] json = File.ReadAllBytes(path);
        ProvisioningFile file = ProvisioningFile.Parse(json, 0, json.Length);
        return new DeviceProvisioning(file.DeviceId, file.Key, file.KeyVersion, file.BrokerHost + ":" + file.BrokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static byte[] ParseMasterKey(string hex)
    {
        byte[] key = Convert.FromHexString(hex);
        if (key.Length < Mac.KeyLength)
        {
            throw new FormatException("master key must be at least 32 bytes (64 hex digits)");
        }

        return key;
    }

    /// <summary>The well-known master key of the simulators' test setups (never a production key).</summary>
    public static readonly byte[] DemoMasterKey = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
}
