using System.Security.Cryptography;

namespace SmartSeal.Protocol.Security
{
    /// <summary>
    /// HMAC-SHA256, the protocol's only cryptographic primitive (nanoFramework has HMACSHA256 but
    /// no standalone SHA-256), and the constant-time comparison every MAC check must use.
    /// </summary>
    public static class Mac
    {
        public const int Length = 32;
        public const int KeyLength = 32;

        public static byte[] Compute(byte[] key, byte[] data)
        {
            using (HMACSHA256 hmac = new HMACSHA256(key))
            {
                return hmac.ComputeHash(data);
            }
        }

        /// <summary>MAC of a slice; copies the slice because the device API only hashes whole arrays.</summary>
        public static byte[] Compute(byte[] key, byte[] data, int offset, int count)
        {
            if (offset == 0 && count == data.Length)
            {
                return Compute(key, data);
            }

            byte[] slice = new byte[count];
            System.Array.Copy(data, offset, slice, 0, count);
            return Compute(key, slice);
        }

        /// <summary>Compares two byte arrays in time that depends only on their lengths.</summary>
        public static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        public static bool Verify(byte[] key, byte[] data, byte[] expectedMac)
        {
            return expectedMac != null && expectedMac.Length == Length && FixedTimeEquals(Compute(key, data), expectedMac);
        }
    }
}
