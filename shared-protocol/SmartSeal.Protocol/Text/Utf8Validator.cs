namespace SmartSeal.Protocol.Text
{
    /// <summary>
    /// Strict UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing above
    /// U+10FFFF. Both runtimes' decoders would otherwise substitute U+FFFD differently.
    /// </summary>
    public static class Utf8Validator
    {
        public static bool IsValid(byte[] bytes, int offset, int count)
        {
            int i = offset;
            int end = offset + count;
            while (i < end)
            {
                int b = bytes[i];
                if (b < 0x80)
                {
                    i++;
                    continue;
                }

                int length;
                int minimum;
                int code;
                if ((b & 0xE0) == 0xC0)
                {
                    length = 2;
                    minimum = 0x80;
                    code = b & 0x1F;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    length = 3;
                    minimum = 0x800;
                    code = b & 0x0F;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    length = 4;
                    minimum = 0x10000;
                    code = b & 0x07;
                }
                else
                {
                    return false;
                }

                if (end - i < length)
                {
                    return false;
                }

                for (int k = 1; k < length; k++)
                {
                    int c = bytes[i + k];
                    if ((c & 0xC0) != 0x80)
                    {
                        return false;
                    }

                    code = (code << 6) | (c & 0x3F);
                }

                if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                {
                    return false;
                }

                i += length;
            }

            return true;
        }
    }
}
