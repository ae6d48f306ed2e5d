using System;

namespace SmartSeal.Protocol.Json
{
    /// <summary>
    /// Writes compact JSON as UTF-8 into a reusable buffer, without reflection. The output is the
    /// protocol's canonical form: properties in the order written, no white space, integers only,
    /// strings escaped exactly as described in shared-protocol/README.md ("Canonical JSON").
    /// One instance can be reused with <see cref="Reset"/>, so a device allocates it once.
    /// </summary>
    public class JsonWriter
    {
        private const int MaxDepth = 16;
        private static readonly byte[] HexDigits = new byte[]
        {
            (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7',
            (byte)'8', (byte)'9', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f',
        };

        private readonly int _maxLength;
        private byte[] _buffer;
        private int _length;

        // Per nesting level: does the next value need a comma before it?
        private readonly bool[] _needsComma = new bool[MaxDepth + 1];
        private readonly bool[] _isObject = new bool[MaxDepth + 1];
        private int _depth;
        private bool _afterName;

        public JsonWriter(int initialCapacity, int maxLength)
        {
            if (initialCapacity <= 0 || maxLength < initialCapacity)
            {
                throw new ArgumentOutOfRangeException("initialCapacity");
            }

            _buffer = new byte[initialCapacity];
            _maxLength = maxLength;
        }

        public JsonWriter()
            : this(256, 64 * 1024)
        {
        }

        /// <summary>The internal buffer; valid bytes are [0, Length).</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        public int Length
        {
            get { return _length; }
        }

        public void Reset()
        {
            _length = 0;
            _depth = 0;
            _afterName = false;
            _needsComma[0] = false;
        }

        public byte[] ToArray()
        {
            byte[] result = new byte[_length];
            Array.Copy(_buffer, 0, result, 0, _length);
            return result;
        }

        public void BeginObject()
        {
            BeforeValue();
            Push(true);
            AppendByte((byte)'{');
        }

        public void EndObject()
        {
            Pop(true);
            AppendByte((byte)'}');
        }

        public void BeginArray()
        {
            BeforeValue();
            Push(false);
            AppendByte((byte)'[');
        }

        public void EndArray()
        {
            Pop(false);
            AppendByte((byte)']');
        }

        public void Name(string name)
        {
            if (_afterName || _depth == 0 || !_isObject[_depth])
            {
                throw new InvalidOperationException("JSON property name outside an object");
            }

            if (_needsComma[_depth])
            {
                AppendByte((byte)',');
            }

            _needsComma[_depth] = true;
            WriteQuoted(name);
            AppendByte((byte)':');
            _afterName = true;
        }

        public void String(string value)
        {
            BeforeValue();
            if (value == null)
            {
                AppendAscii("null");
                return;
            }

            WriteQuoted(value);
        }

        public void Number(long value)
        {
            BeforeValue();
            if (value == long.MinValue)
            {
                // Cannot be negated; it is also outside the protocol's integer range.
                throw new ArgumentOutOfRangeException("value");
            }

            if (value < 0)
            {
                AppendByte((byte)'-');
                value = -value;
            }

            // Digits are produced backwards into a small scratch area at the end of the buffer.
            EnsureCapacity(20);
            int start = _length;
            do
            {
                _buffer[_length++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);

            ReverseInPlace(start, _length - 1);
        }

        public void Bool(bool value)
        {
            BeforeValue();
            AppendAscii(value ? "true" : "false");
        }

        public void Null()
        {
            BeforeValue();
            AppendAscii("null");
        }

        /// <summary>Writes bytes that already hold one complete JSON value (e.g. a received body).</summary>
        public void RawValue(byte[] json, int offset, int count)
        {
            BeforeValue();
            EnsureCapacity(count);
            Array.Copy(json, offset, _buffer, _length, count);
            _length += count;
        }

        /// <summary>Writes bytes as a base64url string value (no padding).</summary>
        public void Base64Url(byte[] data, int offset, int count)
        {
            BeforeValue();
            EnsureCapacity(Text.Base64Url.EncodedLength(count) + 2);
            _buffer[_length++] = (byte)'"';
            _length += Text.Base64Url.Encode(data, offset, count, _buffer, _length);
            _buffer[_length++] = (byte)'"';
        }

        public void Property(string name, string value)
        {
            Name(name);
            String(value);
        }

        public void Property(string name, long value)
        {
            Name(name);
            Number(value);
        }

        public void Property(string name, bool value)
        {
            Name(name);
            Bool(value);
        }

        private void BeforeValue()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_depth > 0)
            {
                if (_isObject[_depth])
                {
                    throw new InvalidOperationException("JSON value inside an object needs a property name");
                }

                if (_needsComma[_depth])
                {
                    AppendByte((byte)',');
                }

                _needsComma[_depth] = true;
            }
            else if (_length > 0)
            {
                throw new InvalidOperationException("JSON document already complete");
            }
        }

        private void Push(bool isObject)
        {
            if (_depth == MaxDepth)
            {
                throw new ProtocolException(ProtocolError.JsonTooDeep, "JSON nesting too deep");
            }

            _depth++;
            _needsComma[_depth] = false;
            _isObject[_depth] = isObject;
        }

        private void Pop(bool isObject)
        {
            if (_depth == 0 || _afterName || _isObject[_depth] != isObject)
            {
                throw new InvalidOperationException("unbalanced JSON container");
            }

            _depth--;
        }

        private void WriteQuoted(string value)
        {
            EnsureCapacity(1);
            _buffer[_length++] = (byte)'"';
            int i = 0;
            while (i < value.Length)
            {
                // Worst case per UTF-16 unit: 6 bytes (\u00XX), 4 for a surrogate pair, + closing quote.
                EnsureCapacity(7);
                char c = value[i];
                if (c == '"' || c == '\\')
                {
                    _buffer[_length++] = (byte)'\\';
                    _buffer[_length++] = (byte)c;
                }
                else if (c < 0x20)
                {
                    WriteControlEscape(c);
                }
                else if (c < 0x80)
                {
                    _buffer[_length++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    _buffer[_length++] = (byte)(0xC0 | (c >> 6));
                    _buffer[_length++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < value.Length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
                {
                    int codePoint = 0x10000 + ((c - 0xD800) << 10) + (value[i + 1] - 0xDC00);
                    _buffer[_length++] = (byte)(0xF0 | (codePoint >> 18));
                    _buffer[_length++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                    _buffer[_length++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                    _buffer[_length++] = (byte)(0x80 | (codePoint & 0x3F));
                    i++;
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    throw new ProtocolException(ProtocolError.JsonMalformed, "unpaired surrogate in string");
                }
                else
                {
                    _buffer[_length++] = (byte)(0xE0 | (c >> 12));
                    _buffer[_length++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    _buffer[_length++] = (byte)(0x80 | (c & 0x3F));
                }

                i++;
            }

            _buffer[_length++] = (byte)'"';
        }

        private void WriteControlEscape(char c)
        {
            _buffer[_length++] = (byte)'\\';
            switch (c)
            {
                case '\n':
                    _buffer[_length++] = (byte)'n';
                    break;
                case '\r':
                    _buffer[_length++] = (byte)'r';
                    break;
                case '\t':
                    _buffer[_length++] = (byte)'t';
                    break;
                default:
                    _buffer[_length++] = (byte)'u';
                    _buffer[_length++] = (byte)'0';
                    _buffer[_length++] = (byte)'0';
                    _buffer[_length++] = HexDigits[(c >> 4) & 0xF];
                    _buffer[_length++] = HexDigits[c & 0xF];
                    break;
            }
        }

        private void AppendByte(byte b)
        {
            EnsureCapacity(1);
            _buffer[_length++] = b;
        }

        private void AppendAscii(string s)
        {
            EnsureCapacity(s.Length);
            for (int i = 0; i < s.Length; i++)
            {
                _buffer[_length++] = (byte)s[i];
            }
        }

        private void ReverseInPlace(int from, int to)
        {
            while (from < to)
            {
                byte t = _buffer[from];
                _buffer[from] = _buffer[to];
                _buffer[to] = t;
                from++;
                to--;
            }
        }

        private void EnsureCapacity(int extra)
        {
            int needed = _length + extra;
            if (needed <= _buffer.Length)
            {
                return;
            }

            if (needed > _maxLength)
            {
                throw new ProtocolException(ProtocolError.JsonTooLarge, "JSON output exceeds the size limit");
            }

            int size = _buffer.Length * 2;
            if (size < needed)
            {
                size = needed;
            }

            if (size > _maxLength)
            {
                size = _maxLength;
            }

            byte[] grown = new byte[size];
            Array.Copy(_buffer, 0, grown, 0, _length);
            _buffer = grown;
        }
    }
}
