using System.Text;

namespace SmartSeal.Protocol.IotHub
{
    /// <summary>
    /// Percent-encoding as IoT Hub's SAS tokens, property bags and query strings use it: every
    /// byte of the UTF-8 form except the RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~)
    /// becomes %XX with upper-case hex. Decoding also accepts '+' for a space (form encoding), since
    /// some SDKs write property bags that way.
    /// </summary>
    public static class UrlEncoding
    {
        private const string Hex = "0123456789ABCDEF";

        public static string Encode(string text)
        {
            if (text == null)
            {
                return null;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text);
            StringBuilder builder = new StringBuilder(bytes.Length + 16);
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (IsUnreserved(b))
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%');
                    builder.Append(Hex[b >> 4]);
                    builder.Append(Hex[b & 0xF]);
                }
            }

            return builder.ToString();
        }

        /// <summary>Decodes %XX and '+'; returns null for a malformed escape or bytes that are not UTF-8.</summary>
        public static string Decode(string text)
        {
            if (text == null)
            {
                return null;
            }

            byte[] bytes = new byte[text.Length];
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length)
                    {
                        return null;
                    }

                    int high = HexValue(text[i + 1]);
                    int low = HexValue(text[i + 2]);
                    if (high < 0 || low < 0)
                    {
                        return null;
                    }

                    bytes[count++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else if (c == '+')
                {
                    bytes[count++] = (byte)' ';
                }
                else if (c > 127)
                {
                    return null;
                }
                else
                {
                    bytes[count++] = (byte)c;
                }
            }

            if (!Text.Utf8Validator.IsValid(bytes, 0, count))
            {
                return null;
            }

            return Encoding.UTF8.GetString(bytes, 0, count);
        }

        private static bool IsUnreserved(byte b)
        {
            return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~';
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }
    }
}
