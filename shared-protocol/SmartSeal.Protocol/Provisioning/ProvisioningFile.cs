using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Provisioning
{
    /// <summary>
    /// The provisioning file <c>I:\device.json</c> (hardware-docs/provisioning.md §2): identity, key
    /// and where to connect. One reader and one writer for the cloud's CLI, the simulators and the
    /// device, so the three cannot drift. Strict like the wire: integers only, unknown fields
    /// refused (a misspelt field must not silently fall back to a default), <c>keyHex</c> exactly
    /// 64 lower-case hex digits, a cabinet carries <c>wifi</c> and no <c>cellular</c>, a lock the reverse.
    /// </summary>
    public class ProvisioningFile
    {
        public const int CurrentFormat = 1;

        public const string KindLock = "lock";

        public const string KindCabinet = "cabinet";

        /// <summary>An edge face gate: a Linux box on the site network, so neither wifi nor cellular.</summary>
        public const string KindGate = "gate";

        /// <summary>SmartSeal's own topics on the cloud's broker or any MQTT broker (default).</summary>
        public const string ProfileSmartSeal = "smartseal";

        /// <summary>Azure IoT Hub's MQTT dialect; <see cref="BrokerHost"/> is the hub's host name.</summary>
        public const string ProfileIotHub = "iothub";

        public string DeviceId;

        /// <summary><see cref="KindLock"/>, <see cref="KindCabinet"/> or <see cref="KindGate"/>.</summary>
        public string Kind;

        public int KeyVersion;

        /// <summary>K_dev, 32 bytes.</summary>
        public byte[] Key;

        public string BrokerHost;

        public int BrokerPort;

        public bool BrokerTls;

        /// <summary>PEM of the CA that signed the broker certificate; required when <see cref="BrokerTls"/>.</summary>
        public string BrokerCaPem;

        /// <summary><see cref="ProfileSmartSeal"/> (default) or <see cref="ProfileIotHub"/>.</summary>
        public string BrokerProfile = ProfileSmartSeal;

        /// <summary>Optional: the fixed expiry (Unix seconds) of a long-lived broker password (Mosquitto setups); 0 = mint per connect.</summary>
        public long BrokerPasswordExpiry;

        public string WifiSsid;

        public string WifiPassword;

        public string CellularApn;

        /// <summary>"cat-m", "nb-iot" or "auto".</summary>
        public string CellularRat;

        public string CellularUser;

        public string CellularPassword;

        /// <summary>Parses and validates; throws <see cref="ProtocolException"/> naming the field at fault.</summary>
        public static ProvisioningFile Parse(byte[] json, int offset, int count)
        {
            ProvisioningFile file = new ProvisioningFile();
            bool sawFormat = false;
            JsonReader reader = new JsonReader(json, offset, count);
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("format"))
                {
                    int format = reader.ReadInt32();
                    if (format != CurrentFormat)
                    {
                        throw new ProtocolException(ProtocolError.ProvisioningUnsupportedFormat, "format " + format.ToString() + " is not supported (expected " + CurrentFormat.ToString() + ")");
                    }

                    sawFormat = true;
                }
                else if (reader.ValueEquals("deviceId"))
                {
                    file.DeviceId = reader.ReadString();
                }
                else if (reader.ValueEquals("kind"))
                {
                    file.Kind = reader.ReadString();
                }
                else if (reader.ValueEquals("keyVersion"))
                {
                    file.KeyVersion = reader.ReadInt32();
                }
                else if (reader.ValueEquals("keyHex"))
                {
                    file.Key = ParseKeyHex(reader.ReadString());
                }
                else if (reader.ValueEquals("broker"))
                {
                    ReadBroker(reader, file);
                }
                else if (reader.ValueEquals("wifi"))
                {
                    ReadWifi(reader, file);
                }
                else if (reader.ValueEquals("cellular"))
                {
                    ReadCellular(reader, file);
                }
                else
                {
                    throw Unknown(reader, null);
                }
            }

            reader.ReadEndOfDocument();
            if (!sawFormat)
            {
                throw Missing("format");
            }

            file.Validate();
            return file;
        }

        /// <summary>Writes the file (canonical JSON, fields in the documented order).</summary>
        public void Write(JsonWriter writer)
        {
            Validate();
            writer.Reset();
            writer.BeginObject();
            writer.Property("format", CurrentFormat);
            writer.Property("deviceId", DeviceId);
            writer.Property("kind", Kind);
            writer.Property("keyVersion", KeyVersion);
            writer.Property("keyHex", ToHex(Key));
            writer.Name("broker");
            writer.BeginObject();
            writer.Property("host", BrokerHost);
            writer.Property("port", BrokerPort);
            writer.Property("tls", BrokerTls);
            if (BrokerCaPem != null)
            {
                writer.Property("caPem", BrokerCaPem);
            }

            if (BrokerPasswordExpiry > 0)
            {
                writer.Property("passwordExpiry", BrokerPasswordExpiry);
            }

            if (BrokerProfile != ProfileSmartSeal)
            {
                writer.Property("profile", BrokerProfile);
            }

            writer.EndObject();
            if (Kind == KindCabinet)
            {
                writer.Name("wifi");
                writer.BeginObject();
                writer.Property("ssid", WifiSsid);
                writer.Property("password", WifiPassword == null ? string.Empty : WifiPassword);
                writer.EndObject();
            }
            else if (Kind == KindLock)
            {
                writer.Name("cellular");
                writer.BeginObject();
                writer.Property("apn", CellularApn);
                writer.Property("rat", CellularRat == null ? "auto" : CellularRat);
                writer.Property("user", CellularUser == null ? string.Empty : CellularUser);
                writer.Property("password", CellularPassword == null ? string.Empty : CellularPassword);
                writer.EndObject();
            }

            writer.EndObject();
        }

        public static string ToHex(byte[] data)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[data.Length * 2];
            for (int i = 0; i < data.Length; i++)
            {
                chars[2 * i] = Digits[data[i] >> 4];
                chars[(2 * i) + 1] = Digits[data[i] & 15];
            }

            return new string(chars);
        }

        private void Validate()
        {
            if (DeviceId == null)
            {
                throw Missing("deviceId");
            }

            if (!Security.DeviceId.IsValid(DeviceId))
            {
                throw Bad("deviceId", "must be 1..64 characters of [A-Za-z0-9._-]");
            }

            if (Kind == null)
            {
                throw Missing("kind");
            }

            if (Kind != KindLock && Kind != KindCabinet && Kind != KindGate)
            {
                throw Bad("kind", "must be \"lock\", \"cabinet\" or \"gate\"");
            }

            if (KeyVersion < 1)
            {
                throw KeyVersion == 0 ? Missing("keyVersion") : Bad("keyVersion", "must be at least 1");
            }

            if (Key == null)
            {
                throw Missing("keyHex");
            }

            if (Key.Length != Security.Mac.KeyLength)
            {
                throw Bad("keyHex", "must be 32 bytes");
            }

            if (BrokerHost == null || BrokerHost.Length == 0)
            {
                throw Missing("broker.host");
            }

            if (BrokerPort < 1 || BrokerPort > 65535)
            {
                throw BrokerPort == 0 ? Missing("broker.port") : Bad("broker.port", "must be 1..65535");
            }

            if (BrokerTls && (BrokerCaPem == null || BrokerCaPem.Length == 0))
            {
                throw Missing("broker.caPem");
            }

            bool cabinet = Kind == KindCabinet;
            bool lockKind = Kind == KindLock;
            if (Kind == KindGate)
            {
                if (WifiSsid != null || CellularApn != null)
                {
                    throw Bad(WifiSsid != null ? "wifi" : "cellular", "a gate uses its host's network");
                }
            }
            else if (cabinet && (WifiSsid == null || WifiSsid.Length == 0))
            {
                throw Missing("wifi.ssid");
            }

            if (lockKind && (CellularApn == null || CellularApn.Length == 0))
            {
                throw Missing("cellular.apn");
            }

            if (cabinet && CellularApn != null)
            {
                throw Bad("cellular", "a cabinet connects over Wi-Fi");
            }

            if (lockKind && WifiSsid != null)
            {
                throw Bad("wifi", "a lock connects over its modem");
            }

            if (BrokerProfile != ProfileSmartSeal && BrokerProfile != ProfileIotHub)
            {
                throw Bad("broker.profile", "must be \"smartseal\" or \"iothub\"");
            }

            if (CellularRat != null && CellularRat != "cat-m" && CellularRat != "nb-iot" && CellularRat != "auto")
            {
                throw Bad("cellular.rat", "must be \"cat-m\", \"nb-iot\" or \"auto\"");
            }
        }

        private static void ReadBroker(JsonReader reader, ProvisioningFile file)
        {
            file.BrokerTls = false;
            bool sawTls = false;
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("host"))
                {
                    file.BrokerHost = reader.ReadString();
                }
                else if (reader.ValueEquals("port"))
                {
                    file.BrokerPort = reader.ReadInt32();
                }
                else if (reader.ValueEquals("tls"))
                {
                    file.BrokerTls = reader.ReadBoolean();
                    sawTls = true;
                }
                else if (reader.ValueEquals("caPem"))
                {
                    file.BrokerCaPem = reader.ReadString();
                }
                else if (reader.ValueEquals("profile"))
                {
                    file.BrokerProfile = reader.ReadString();
                }
                else if (reader.ValueEquals("passwordExpiry"))
                {
                    file.BrokerPasswordExpiry = reader.ReadInt64();
                    if (file.BrokerPasswordExpiry <= 0)
                    {
                        throw Bad("broker.passwordExpiry", "must be a positive Unix time");
                    }
                }
                else
                {
                    throw Unknown(reader, "broker.");
                }
            }

            if (!sawTls)
            {
                throw Missing("broker.tls");
            }
        }

        private static void ReadWifi(JsonReader reader, ProvisioningFile file)
        {
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("ssid"))
                {
                    file.WifiSsid = reader.ReadString();
                }
                else if (reader.ValueEquals("password"))
                {
                    file.WifiPassword = reader.ReadString();
                }
                else
                {
                    throw Unknown(reader, "wifi.");
                }
            }
        }

        private static void ReadCellular(JsonReader reader, ProvisioningFile file)
        {
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("apn"))
                {
                    file.CellularApn = reader.ReadString();
                }
                else if (reader.ValueEquals("rat"))
                {
                    file.CellularRat = reader.ReadString();
                }
                else if (reader.ValueEquals("user"))
                {
                    file.CellularUser = reader.ReadString();
                }
                else if (reader.ValueEquals("password"))
                {
                    file.CellularPassword = reader.ReadString();
                }
                else
                {
                    throw Unknown(reader, "cellular.");
                }
            }
        }

        private static byte[] ParseKeyHex(string hex)
        {
            if (hex.Length != Security.Mac.KeyLength * 2)
            {
                throw Bad("keyHex", "must be exactly 64 hex digits");
            }

            byte[] key = new byte[hex.Length / 2];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
            }

            return key;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            throw Bad("keyHex", "must be lower-case hex digits");
        }

        private static ProtocolException Unknown(JsonReader reader, string prefix)
        {
            return new ProtocolException(ProtocolError.ProvisioningUnknownField, "unknown field " + (prefix == null ? string.Empty : prefix) + reader.GetString());
        }

        private static ProtocolException Missing(string field)
        {
            return new ProtocolException(ProtocolError.ProvisioningMissingField, "missing field " + field);
        }

        private static ProtocolException Bad(string field, string why)
        {
            return new ProtocolException(ProtocolError.ProvisioningBadField, field + " " + why);
        }
    }
}
