namespace SmartSeal.Firmware.Device
{
    /// <summary>Who this device is: its id and the key flashed at provisioning.</summary>
    public class DeviceIdentity
    {
        public DeviceIdentity(string deviceId, byte[] key, int keyVersion)
        {
            if (!SmartSeal.Protocol.Security.DeviceId.IsValid(deviceId))
            {
                throw new System.ArgumentException("invalid device id", "deviceId");
            }

            if (key == null || key.Length != SmartSeal.Protocol.Security.Mac.KeyLength)
            {
                throw new System.ArgumentException("device key must be 32 bytes", "key");
            }

            DeviceId = deviceId;
            Key = key;
            KeyVersion = keyVersion;
        }

        public string DeviceId { get; private set; }

        public byte[] Key { get; private set; }

        public int KeyVersion { get; private set; }
    }
}
