using System.IO;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Text;

namespace SmartSeal.Drivers.Esp32.Provisioning
{
    /// <summary>
    /// What the provisioning tool writes to <c>I:\device.json</c>: identity, key and where to
    /// connect. The key is base64url (43 characters for 256 bits). Example:
    /// <c>{"deviceId":"lock-0001","key":"...","keyVersion":1,"broker":"mqtt.example.com","port":8883,
    /// "tls":true,"wifiSsid":"...","wifiPassword":"...","apn":"cmnet"}</c>. Unknown properties are ignored.
    /// </summary>
    public class DeviceProvisioning
    {
        public const string DefaultPath = "I:\\device.json";

        public string DeviceId;

        public byte[] Key;

        public int KeyVersion;

        public string Broker;

        public int Port = 8883;

        public bool Tls = true;

        public string WifiSsid;

        public string WifiPassword;

        /// <summary>Cellular access point name (lock only).</summary>
        public string Apn;

        /// <summary>Reads and validates the file; throws when it is missing or incomplete (the device must not run unprovisioned).</summary>
        public static DeviceProvisioning Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new IOException("not provisioned: " + path + " is missing");
            }

            byte[] json = File.ReadAllBytes(path);
            return Parse(json);
        }

        public static DeviceProvisioning Parse(byte[] json)
        {
            DeviceProvisioning p = new DeviceProvisioning();
            JsonReader reader = new JsonReader(json, 0, json.Length);
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("deviceId"))
                {
                    p.DeviceId = reader.ReadString();
                }
                else if (reader.ValueEquals("key"))
                {
                    p.Key = Base64Url.Decode(reader.ReadString());
                }
                else if (reader.ValueEquals("keyVersion"))
                {
                    p.KeyVersion = reader.ReadInt32();
                }
                else if (reader.ValueEquals("broker"))
                {
                    p.Broker = reader.ReadString();
                }
                else if (reader.ValueEquals("port"))
                {
                    p.Port = reader.ReadInt32();
                }
                else if (reader.ValueEquals("tls"))
                {
                    p.Tls = reader.ReadBoolean();
                }
                else if (reader.ValueEquals("wifiSsid"))
                {
                    p.WifiSsid = reader.ReadString();
                }
                else if (reader.ValueEquals("wifiPassword"))
                {
                    p.WifiPassword = reader.ReadString();
                }
                else if (reader.ValueEquals("apn"))
                {
                    p.Apn = reader.ReadString();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (p.DeviceId == null || p.Key == null || p.Key.Length != 32 || p.KeyVersion <= 0 || p.Broker == null)
            {
                throw new IOException("device.json needs deviceId, a 256-bit key, keyVersion > 0 and broker");
            }

            return p;
        }
    }
}
