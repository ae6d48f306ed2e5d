namespace SmartSeal.Protocol.Text
{
    /// <summary>
    /// base64url without padding (RFC 4648 §5), as used by JWS and by the protocol's MAC fields.
    /// Decoding is strict: padding, white space, non-alphabet characters and non-zero trailing
    /// bits are refused, so every value has exactly one encoding (MACs compare the decoded bytes).
    /// </summary>
    public static class Base64Url
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        public static int EncodedLength(int byteCount)
        {
            return ((byteCount / 3) * 4) + ((byteCount % 3) == 0 ? 0 : (byteCount % 3) + 1);
        }

        /// <summary>Encodes into <paramref name="destination"/> and returns the number of bytes written.</summary>
        public static int Encode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            int d = destinationOffset;
            int end = offset + count;
            int i = offset;
            while (end - i >= 3)
            {
                int v = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
                destination[d++] = (byte)Alphabet[(v >> 18) & 0x3F];
                destination[d++] = (byte)Alphabet[(v >> 12) & 0x3F];
                destination[d++] = (byte)Alphabet[(v >> 6) & 0x3F];
                destination[d++] = (byte)Alphabet[v & 0x3F];
                i += 3;
            }

            int rest = end - i;
            if (rest == 1)
            {
                int v = source[i] << 16;
                destination[d++] = (byte)Alphabet[(v >> 18) & 0x3F];
                destination[d++] = (byte)Alphabet[(v >> 12) & 0x3F];
            }
            else if (rest == 2)
            {
                int v = (source[i] << 16) | (source[i + 1] << 8);
                destination[d++] = (byte)Alphabet[(v >> 18) & 0x3F];
                destination[d++] = (byte)Alphabet[(v >> 12) & 0x3F];
                destination[d++] = (byte)Alphabet[(v >> 6) & 0x3F];
            }

            return d - destinationOffset;
        }

        public static string Encode(byte[] data)
        {
            byte[] ascii = new byte[EncodedLength(data.Length)];
            Encode(data, 0, data.Length, ascii, 0);
            char[] chars = new char[ascii.Length];
            for (int i = 0; i < ascii.Length; i++)
            {
                chars[i] = (char)ascii[i];
            }

            return new string(chars);
        }

        /// <summary>
        /// Decoded size of <paramref name="count"/> base64url characters, or -1 when no valid
        /// unpadded encoding has that length.
        /// </summary>
        public static int DecodedLength(int count)
        {
            int rest = count % 4;
            if (rest == 1)
            {
                return -1;
            }

            return ((count / 4) * 3) + (rest == 0 ? 0 : rest - 1);
        }

        /// <summary>
        /// Decodes ASCII base64url bytes. Returns the number of bytes written, or -1 when the input
        /// is not strict unpadded base64url.
        /// </summary>
        public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            if (DecodedLength(count) < 0)
            {
                return -1;
            }

            int d = destinationOffset;
            int end = offset + count;
            int i = offset;
            while (end - i >= 4)
            {
                int a = Value(source[i]);
                int b = Value(source[i + 1]);
                int c = Value(source[i + 2]);
                int e = Value(source[i + 3]);
                if ((a | b | c | e) < 0)
                {
                    return -1;
                }

                int v = (a << 18) | (b << 12) | (c << 6) | e;
                destination[d++] = (byte)(v >> 16);
                destination[d++] = (byte)(v >> 8);
                destination[d++] = (byte)v;
                i += 4;
            }

            int rest = end - i;
            if (rest == 2)
            {
                int a = Value(source[i]);
                int b = Value(source[i + 1]);
                if ((a | b) < 0 || (b & 0x0F) != 0)
                {
                    return -1;
                }

                destination[d++] = (byte)((a << 2) | (b >> 4));
            }
            else if (rest == 3)
            {
                int a = Value(source[i]);
                int b = Value(source[i + 1]);
                int c = Value(source[i + 2]);
                if ((a | b | c) < 0 || (c & 0x03) != 0)
                {
                    return -1;
                }

                int v = (a << 18) | (b << 12) | (c << 6);
                destination[d++] = (byte)(v >> 16);
                destination[d++] = (byte)(v >> 8);
            }

            return d - destinationOffset;
        }

        /// <summary>Decodes a base64url string; returns null when it is not strict unpadded base64url.</summary>
        public static byte[] Decode(string text)
        {
            if (text == null)
            {
                return null;
            }

            int length = DecodedLength(text.Length);
            if (length < 0)
            {
                return null;
            }

            byte[] ascii = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > 0x7F)
                {
                    return null;
                }

                ascii[i] = (byte)c;
            }

            byte[] result = new byte[length];
            return Decode(ascii, 0, ascii.Length, result, 0) == length ? result : null;
        }

        private static int Value(byte c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            if (c == '-')
            {
                return 62;
            }

            if (c == '_')
            {
                return 63;
            }

            return -1;
        }
    }
}
