using System.Text;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.IotHub
{
    /// <summary>
    /// IoT Hub's shared access signature (learn.microsoft.com/azure/iot-hub/iot-hub-dev-guide-sas,
    /// "Security tokens"):
    /// <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={url-encoded base64 HMAC-SHA256(key, url-encoded resource + "\n" + expiry)}&amp;se={expiry}</c>,
    /// plus <c>&amp;skn={policy}</c> when a hub-level shared access policy signs it.
    /// A device signs with its own key K_dev (the same derivation as the MQTT password of the other
    /// modes, DESIGN §4): IoT Hub stores that key, base64-encoded, as the device's symmetric key,
    /// and the resource is <c>{hostName}/devices/{deviceId}</c>. The cloud signs service calls with
    /// a policy key (resource = the host name).
    /// </summary>
    public class IotHubSasToken
    {
        public const string Scheme = "SharedAccessSignature ";

        /// <summary>The resource as it appears in the token (still url-encoded); the string to sign starts with it.</summary>
        public string EncodedResource;

        /// <summary>The decoded resource, e.g. <c>hub.azure-devices.net/devices/lock-0001</c>.</summary>
        public string Resource;

        public byte[] Signature;

        /// <summary>Unix seconds after which the token is refused.</summary>
        public long Expiry;

        /// <summary>"skn": the shared access policy; null for a device token.</summary>
        public string PolicyName;

        /// <summary>The resource a device token must name.</summary>
        public static string DeviceResource(string hostName, string deviceId)
        {
            return hostName + "/devices/" + deviceId;
        }

        /// <summary>A device's key as IoT Hub's registry wants it (primary/secondary symmetric key).</summary>
        public static string EncodeKey(byte[] key)
        {
            return System.Convert.ToBase64String(key);
        }

        public static string ForDevice(string hostName, string deviceId, byte[] deviceKey, long expiryUnixSeconds)
        {
            if (deviceKey == null || deviceKey.Length != Mac.KeyLength)
            {
                throw new ProtocolException(ProtocolError.KeyBadLength, "device key must be 32 bytes");
            }

            return Create(DeviceResource(hostName, deviceId), deviceKey, expiryUnixSeconds, null);
        }

        /// <param name="key">The raw key bytes (IoT Hub shows them base64-encoded).</param>
        /// <param name="policyName">Null for a device token, else the shared access policy ("service", "iothubowner").</param>
        public static string Create(string resource, byte[] key, long expiryUnixSeconds, string policyName)
        {
            string encodedResource = UrlEncoding.Encode(resource);
            string expiry = expiryUnixSeconds.ToString();
            byte[] signature = Mac.Compute(key, StringToSign(encodedResource, expiry));
            string token = Scheme + "sr=" + encodedResource + "&sig=" + UrlEncoding.Encode(System.Convert.ToBase64String(signature)) + "&se=" + expiry;
            if (policyName != null)
            {
                token = token + "&skn=" + UrlEncoding.Encode(policyName);
            }

            return token;
        }

        /// <summary>Splits a token into its fields; null when it is not a well-formed IoT Hub SAS token.</summary>
        public static IotHubSasToken Parse(string token)
        {
            if (token == null || token.Length > 1024 || !token.StartsWith(Scheme))
            {
                return null;
            }

            IotHubSasToken parsed = new IotHubSasToken();
            string expiryText = null;
            string signatureText = null;
            string[] fields = token.Substring(Scheme.Length).Split('&');
            for (int i = 0; i < fields.Length; i++)
            {
                int equals = fields[i].IndexOf('=');
                if (equals <= 0)
                {
                    return null;
                }

                string name = fields[i].Substring(0, equals);
                string value = fields[i].Substring(equals + 1);
                if (name == "sr" && parsed.EncodedResource == null)
                {
                    parsed.EncodedResource = value;
                }
                else if (name == "sig" && signatureText == null)
                {
                    signatureText = value;
                }
                else if (name == "se" && expiryText == null)
                {
                    expiryText = value;
                }
                else if (name == "skn" && parsed.PolicyName == null)
                {
                    parsed.PolicyName = UrlEncoding.Decode(value);
                    if (parsed.PolicyName == null)
                    {
                        return null;
                    }
                }
                else
                {
                    return null;
                }
            }

            if (parsed.EncodedResource == null || signatureText == null || expiryText == null || !ParseExpiry(expiryText, parsed))
            {
                return null;
            }

            parsed.Resource = UrlEncoding.Decode(parsed.EncodedResource);
            parsed.Signature = DecodeSignature(signatureText);
            if (parsed.Resource == null || parsed.Signature == null || parsed.Signature.Length != Mac.Length)
            {
                return null;
            }

            return parsed;
        }

        /// <summary>
        /// Checks the token for <paramref name="expectedResource"/> (compared without regard to case,
        /// like host names) signed with <paramref name="key"/>, not expired and not valid for longer
        /// than <paramref name="maxLifetimeSeconds"/>.
        /// </summary>
        public ProtocolError Verify(string expectedResource, string expectedPolicy, byte[] key, long nowUnixSeconds, long maxLifetimeSeconds)
        {
            if (Resource == null || expectedResource == null || Resource.ToLower() != expectedResource.ToLower() || PolicyName != expectedPolicy)
            {
                return ProtocolError.PasswordMalformed;
            }

            if (key == null || key.Length == 0)
            {
                return ProtocolError.KeyBadLength;
            }

            if (!Mac.FixedTimeEquals(Mac.Compute(key, StringToSign(EncodedResource, Expiry.ToString())), Signature))
            {
                return ProtocolError.PasswordBadSignature;
            }

            if (Expiry <= nowUnixSeconds)
            {
                return ProtocolError.PasswordExpired;
            }

            if (Expiry - nowUnixSeconds > maxLifetimeSeconds)
            {
                return ProtocolError.PasswordLifetimeTooLong;
            }

            return ProtocolError.None;
        }

        private static byte[] StringToSign(string encodedResource, string expiry)
        {
            return Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry);
        }

        private static bool ParseExpiry(string text, IotHubSasToken parsed)
        {
            if (text.Length == 0 || text.Length > 12 || (text.Length > 1 && text[0] == '0'))
            {
                return false;
            }

            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            parsed.Expiry = value;
            return true;
        }

        private static byte[] DecodeSignature(string text)
        {
            string base64 = UrlEncoding.Decode(text);
            if (base64 == null || base64.Length != 44)
            {
                return null;
            }

            try
            {
                return System.Convert.FromBase64String(base64);
            }
            catch (System.FormatException)
            {
                return null;
            }
        }
    }
}
