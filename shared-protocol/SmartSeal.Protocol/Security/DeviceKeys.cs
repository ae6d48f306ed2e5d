using System.Text;

namespace SmartSeal.Protocol.Security
{
    /// <summary>
    /// Per-device keys: K_dev = HMAC-SHA256(masterKey, "smartseal/device/v{keyVersion}/" + deviceId).
    /// The cloud derives them on demand (it stores no per-device secret); a device holds only its own,
    /// flashed at provisioning. Raising the key version rotates a device's key.
    /// </summary>
    public static class DeviceKeys
    {
        public const string DerivationPrefix = "smartseal/device/v";

        public static byte[] Derive(byte[] masterKey, string deviceId, int keyVersion)
        {
            if (masterKey == null || masterKey.Length < Mac.KeyLength)
            {
                throw new ProtocolException(ProtocolError.KeyBadLength, "master key must be at least 32 bytes");
            }

            if (!DeviceId.IsValid(deviceId))
            {
                throw new ProtocolException(ProtocolError.EnvelopeBadDeviceId, "invalid device id");
            }

            if (keyVersion < 1)
            {
                throw new ProtocolException(ProtocolError.KeyBadLength, "key version must be 1 or more");
            }

            string label = DerivationPrefix + keyVersion.ToString() + "/" + deviceId;
            return Mac.Compute(masterKey, Encoding.UTF8.GetBytes(label));
        }
    }
}
