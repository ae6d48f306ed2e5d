using System.Text.Json;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// Who a simulated device is: id, key and key version, and optionally the broker it was
/// provisioned for. Either derived from the master key (as the cloud does) or read from the JSON
/// file a provisioning station writes: <c>{"deviceId":"lock-0001","key":"&lt;64 hex&gt;","keyVersion":1,"broker":"host:port"}</c>.
/// </summary>
public sealed record DeviceProvisioning(string DeviceId, byte[] Key, int KeyVersion, string? Broker)
{
    public static DeviceProvisioning FromMaster(byte[] masterKey, string deviceId, int keyVersion = 1) =>
        new(deviceId, DeviceKeys.Derive(masterKey, deviceId, keyVersion), keyVersion, null);

    public static DeviceProvisioning FromFile(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        string id = root.GetProperty("deviceId").GetString() ?? throw new FormatException("deviceId missing");
        byte[] key = Convert.FromHexString(root.GetProperty("key").GetString() ?? string.Empty);
        int version = root.TryGetProperty("keyVersion", out JsonElement v) ? v.GetInt32() : 1;
        string? broker = root.TryGetProperty("broker", out JsonElement b) ? b.GetString() : null;
        if (key.Length != Mac.KeyLength)
        {
            throw new FormatException("key must be 32 bytes (64 hex digits)");
        }

        return new DeviceProvisioning(id, key, version, broker);
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
