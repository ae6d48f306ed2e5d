using System.Text;

namespace SmartSeal.Protocol.Security
{
    /// <summary>
    /// The MQTT password a device logs in with (username = device id), SAS style:
    /// <c>v1.{expiryUnixSeconds}.{base64url(HMAC(K_dev, deviceId + "\n" + expiryUnixSeconds))}</c>.
    /// The broker recomputes the MAC from the derived device key, so it stores no device secret.
    /// </summary>
    public static class BrokerPassword
    {
        private const string Prefix = "v1.";

        public static string Create(string deviceId, byte[] deviceKey, long expiryUnixSeconds)
        {
            if (deviceKey == null || deviceKey.Length != Mac.KeyLength)
            {
                throw new ProtocolException(ProtocolError.KeyBadLength, "device key must be 32 bytes");
            }

            string expiry = expiryUnixSeconds.ToString();
            byte[] mac = Mac.Compute(deviceKey, SignedBytes(deviceId, expiry));
            return Prefix + expiry + "." + Text.Base64Url.Encode(mac);
        }

        /// <summary>
        /// Checks a password. <paramref name="maxLifetimeSeconds"/> bounds how far in the future the
        /// expiry may lie, so a leaked long-lived password cannot be minted by a careless device.
        /// </summary>
        public static ProtocolError Verify(string password, string deviceId, byte[] deviceKey, long nowUnixSeconds, long maxLifetimeSeconds)
        {
            if (password == null || password.Length > 128 || !password.StartsWith(Prefix))
            {
                return ProtocolError.PasswordMalformed;
            }

            int dot = password.IndexOf('.', Prefix.Length);
            if (dot < 0 || dot == Prefix.Length || dot - Prefix.Length > 12)
            {
                return ProtocolError.PasswordMalformed;
            }

            long expiry = 0;
            for (int i = Prefix.Length; i < dot; i++)
            {
                char c = password[i];
                if (c < '0' || c > '9')
                {
                    return ProtocolError.PasswordMalformed;
                }

                expiry = (expiry * 10) + (c - '0');
            }

            string expiryText = password.Substring(Prefix.Length, dot - Prefix.Length);
            if (expiry.ToString() != expiryText)
            {
                // Leading zeros would give a second spelling of the same password.
                return ProtocolError.PasswordMalformed;
            }

            byte[] presented = Text.Base64Url.Decode(password.Substring(dot + 1));
            if (presented == null || presented.Length != Mac.Length)
            {
                return ProtocolError.PasswordMalformed;
            }

            if (deviceKey == null || deviceKey.Length != Mac.KeyLength)
            {
                return ProtocolError.KeyBadLength;
            }

            if (!Mac.FixedTimeEquals(Mac.Compute(deviceKey, SignedBytes(deviceId, expiryText)), presented))
            {
                return ProtocolError.PasswordBadSignature;
            }

            if (expiry <= nowUnixSeconds)
            {
                return ProtocolError.PasswordExpired;
            }

            if (expiry - nowUnixSeconds > maxLifetimeSeconds)
            {
                return ProtocolError.PasswordLifetimeTooLong;
            }

            return ProtocolError.None;
        }

        private static byte[] SignedBytes(string deviceId, string expiry)
        {
            return Encoding.UTF8.GetBytes(deviceId + "\n" + expiry);
        }
    }
}
