using System;
using System.Text;

namespace SmartSeal.Protocol.Json
{
    /// <summary>
    /// A forward-only, strict JSON (RFC 8259) reader over UTF-8 bytes, without reflection and
    /// without allocating for structure: values are decoded only when asked for. Malformed input
    /// raises <see cref="ProtocolException"/> with a <see cref="ProtocolError"/> code and the byte
    /// position; decoders above catch it. Limits (depth, string length) keep memory bounded on
    /// the device.
    /// </summary>
    public class JsonReader
    {
        private const int MaxDepth = 16;

        private const int ExpectValue = 0;
        private const int ExpectValueOrEnd = 1;
        private const int ExpectNameOrEnd = 2;
        private const int ExpectName = 3;
        private const int ExpectCommaOrEnd = 4;
        private const int ExpectNothing = 5;

        private readonly bool[] _isObject = new bool[MaxDepth + 1];
        private byte[] _buffer;
        private int _position;
        private int _end;
        private int _depth;
        private int _expect;
        private int _maxStringLength;

        private JsonTokenType _tokenType;
        private int _tokenStart;
        private int _tokenEnd;
        private bool _stringHasEscapes;
        private bool _numberIsInteger;

        public JsonReader(byte[] buffer, int offset, int count)
        {
            Reset(buffer, offset, count);
        }

        /// <summary>Longest string (in UTF-8 bytes, escapes included) that <see cref="GetString"/> accepts.</summary>
        public int MaxStringLength
        {
            get { return _maxStringLength; }
            set { _maxStringLength = value; }
        }

        public JsonTokenType TokenType
        {
            get { return _tokenType; }
        }

        /// <summary>Byte position where the current token starts (the quote of a string, the brace of an object).</summary>
        public int TokenStart
        {
            get { return _tokenStart; }
        }

        /// <summary>Byte position just after the current token.</summary>
        public int TokenEnd
        {
            get { return _tokenEnd; }
        }

        public int Depth
        {
            get { return _depth; }
        }

        public byte[] Buffer
        {
            get { return _buffer; }
        }

        public void Reset(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _buffer = buffer;
            _position = offset;
            _end = offset + count;
            _depth = 0;
            _expect = ExpectValue;
            _tokenType = JsonTokenType.None;
            _tokenStart = offset;
            _tokenEnd = offset;
            _maxStringLength = 4096;
        }

        /// <summary>
        /// Advances to the next token. Returns false once the single top-level value has been read
        /// completely and only white space follows.
        /// </summary>
        public bool Read()
        {
            while (true)
            {
                SkipWhiteSpace();
                if (_position >= _end)
                {
                    if (_expect == ExpectNothing)
                    {
                        _tokenType = JsonTokenType.None;
                        return false;
                    }

                    throw Malformed(ProtocolError.JsonMalformed, "unexpected end of JSON");
                }

                byte c = _buffer[_position];
                switch (_expect)
                {
                    case ExpectNothing:
                        throw Malformed(ProtocolError.JsonTrailingData, "data after the JSON value");

                    case ExpectNameOrEnd:
                        if (c == '}')
                        {
                            CloseContainer(true);
                            return true;
                        }

                        ReadPropertyName(c);
                        return true;

                    case ExpectName:
                        ReadPropertyName(c);
                        return true;

                    case ExpectValueOrEnd:
                        if (c == ']')
                        {
                            CloseContainer(false);
                            return true;
                        }

                        ReadValue(c);
                        return true;

                    case ExpectValue:
                        ReadValue(c);
                        return true;

                    default:
                        if (c == ',')
                        {
                            _position++;
                            _expect = _isObject[_depth] ? ExpectName : ExpectValue;
                            continue;
                        }

                        if (c == '}' || c == ']')
                        {
                            bool closesObject = c == '}';
                            if (closesObject != _isObject[_depth])
                            {
                                throw Malformed(ProtocolError.JsonMalformed, "mismatched bracket");
                            }

                            CloseContainer(closesObject);
                            return true;
                        }

                        throw Malformed(ProtocolError.JsonMalformed, "expected ',' or end of container");
                }
            }
        }

        /// <summary>
        /// Skips the current value: for a property name, its value; for the start of a container,
        /// everything up to and including its end. Scalars need nothing.
        /// </summary>
        public void Skip()
        {
            if (_tokenType == JsonTokenType.PropertyName)
            {
                Read();
            }

            if (_tokenType == JsonTokenType.StartObject || _tokenType == JsonTokenType.StartArray)
            {
                int depth = _depth;
                while (Read() && _depth >= depth)
                {
                }
            }
        }

        public string GetString()
        {
            RequireString();
            int start = _tokenStart + 1;
            int end = _tokenEnd - 1;
            if (end - start > _maxStringLength)
            {
                throw Malformed(ProtocolError.JsonStringTooLong, "string longer than allowed");
            }

            if (!_stringHasEscapes)
            {
                return DecodeUtf8(_buffer, start, end - start);
            }

            return Unescape(start, end);
        }

        /// <summary>Compares the current string or property name with <paramref name="text"/> without allocating.</summary>
        public bool ValueEquals(string text)
        {
            RequireString();
            if (_stringHasEscapes)
            {
                return GetString() == text;
            }

            int start = _tokenStart + 1;
            int length = _tokenEnd - 1 - start;
            if (length != text.Length)
            {
                // Only ASCII text is compared on the fast path; non-ASCII would differ in length anyway.
                return length >= text.Length && GetString() == text;
            }

            for (int i = 0; i < length; i++)
            {
                if (text[i] >= 0x80)
                {
                    return GetString() == text;
                }

                if (_buffer[start + i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        public long GetInt64()
        {
            if (_tokenType != JsonTokenType.Number)
            {
                throw Malformed(ProtocolError.JsonUnexpectedType, "expected a number");
            }

            if (!_numberIsInteger)
            {
                throw Malformed(ProtocolError.JsonNumberNotInteger, "expected an integer");
            }

            int i = _tokenStart;
            bool negative = _buffer[i] == '-';
            if (negative)
            {
                i++;
            }

            if (_tokenEnd - i > 18)
            {
                // 18 digits always fit; the protocol has no use for larger magnitudes.
                throw Malformed(ProtocolError.JsonNumberOutOfRange, "integer out of range");
            }

            long value = 0;
            for (; i < _tokenEnd; i++)
            {
                value = (value * 10) + (_buffer[i] - '0');
            }

            return negative ? -value : value;
        }

        public int GetInt32()
        {
            long value = GetInt64();
            if (value > int.MaxValue || value < int.MinValue)
            {
                throw Malformed(ProtocolError.JsonNumberOutOfRange, "integer out of range");
            }

            return (int)value;
        }

        public bool GetBoolean()
        {
            if (_tokenType == JsonTokenType.True)
            {
                return true;
            }

            if (_tokenType == JsonTokenType.False)
            {
                return false;
            }

            throw Malformed(ProtocolError.JsonUnexpectedType, "expected true or false");
        }

        /// <summary>Decodes the current string as strict base64url; null when it is not.</summary>
        public byte[] GetBase64Url()
        {
            RequireString();
            if (_stringHasEscapes)
            {
                return null;
            }

            int start = _tokenStart + 1;
            int count = _tokenEnd - 1 - start;
            int length = Text.Base64Url.DecodedLength(count);
            if (length < 0 || count > _maxStringLength)
            {
                return null;
            }

            byte[] result = new byte[length];
            return Text.Base64Url.Decode(_buffer, start, count, result, 0) == length ? result : null;
        }

        /// <summary>Reads the next token and requires it to be of <paramref name="expected"/> type.</summary>
        public void ReadExpected(JsonTokenType expected)
        {
            if (!Read() || _tokenType != expected)
            {
                throw Malformed(ProtocolError.JsonUnexpectedType, "unexpected JSON token");
            }
        }

        public string ReadString()
        {
            ReadExpected(JsonTokenType.String);
            return GetString();
        }

        public long ReadInt64()
        {
            ReadExpected(JsonTokenType.Number);
            return GetInt64();
        }

        public int ReadInt32()
        {
            ReadExpected(JsonTokenType.Number);
            return GetInt32();
        }

        public bool ReadBoolean()
        {
            Read();
            return GetBoolean();
        }

        /// <summary>
        /// Reads the next property name of the current object. Returns false at the object's end.
        /// </summary>
        public bool ReadPropertyOrEnd()
        {
            if (!Read())
            {
                throw Malformed(ProtocolError.JsonMalformed, "unexpected end of JSON");
            }

            if (_tokenType == JsonTokenType.PropertyName)
            {
                return true;
            }

            if (_tokenType == JsonTokenType.EndObject)
            {
                return false;
            }

            throw Malformed(ProtocolError.JsonUnexpectedType, "expected a property name");
        }

        /// <summary>Reads the next array element's first token. Returns false at the array's end.</summary>
        public bool ReadElementOrEnd()
        {
            if (!Read())
            {
                throw Malformed(ProtocolError.JsonMalformed, "unexpected end of JSON");
            }

            return _tokenType != JsonTokenType.EndArray;
        }

        /// <summary>Requires that nothing but white space follows the top-level value.</summary>
        public void ReadEndOfDocument()
        {
            if (Read())
            {
                throw Malformed(ProtocolError.JsonTrailingData, "data after the JSON value");
            }
        }

        public ProtocolException Malformed(ProtocolError error, string detail)
        {
            return new ProtocolException(error, detail + " at byte " + _position.ToString());
        }

        private void RequireString()
        {
            if (_tokenType != JsonTokenType.String && _tokenType != JsonTokenType.PropertyName)
            {
                throw Malformed(ProtocolError.JsonUnexpectedType, "expected a string");
            }
        }

        private void ReadPropertyName(byte c)
        {
            if (c != '"')
            {
                throw Malformed(ProtocolError.JsonMalformed, "expected a property name");
            }

            ScanString();
            _tokenType = JsonTokenType.PropertyName;
            SkipWhiteSpace();
            if (_position >= _end || _buffer[_position] != ':')
            {
                throw Malformed(ProtocolError.JsonMalformed, "expected ':'");
            }

            _position++;
            _expect = ExpectValue;
        }

        private void ReadValue(byte c)
        {
            _tokenStart = _position;
            if (c == '{' || c == '[')
            {
                if (_depth == MaxDepth)
                {
                    throw Malformed(ProtocolError.JsonTooDeep, "JSON nesting too deep");
                }

                bool isObject = c == '{';
                _depth++;
                _isObject[_depth] = isObject;
                _position++;
                _tokenEnd = _position;
                _tokenType = isObject ? JsonTokenType.StartObject : JsonTokenType.StartArray;
                _expect = isObject ? ExpectNameOrEnd : ExpectValueOrEnd;
                return;
            }

            if (c == '"')
            {
                ScanString();
                _tokenType = JsonTokenType.String;
            }
            else if (c == '-' || (c >= '0' && c <= '9'))
            {
                ScanNumber();
                _tokenType = JsonTokenType.Number;
            }
            else if (c == 't')
            {
                ScanLiteral("true");
                _tokenType = JsonTokenType.True;
            }
            else if (c == 'f')
            {
                ScanLiteral("false");
                _tokenType = JsonTokenType.False;
            }
            else if (c == 'n')
            {
                ScanLiteral("null");
                _tokenType = JsonTokenType.Null;
            }
            else
            {
                throw Malformed(ProtocolError.JsonMalformed, "unexpected character");
            }

            _expect = _depth == 0 ? ExpectNothing : ExpectCommaOrEnd;
        }

        private void CloseContainer(bool isObject)
        {
            _tokenStart = _position;
            _position++;
            _tokenEnd = _position;
            _tokenType = isObject ? JsonTokenType.EndObject : JsonTokenType.EndArray;
            _depth--;
            _expect = _depth == 0 ? ExpectNothing : ExpectCommaOrEnd;
        }

        private void ScanString()
        {
            _tokenStart = _position;
            _stringHasEscapes = false;
            int i = _position + 1;
            while (true)
            {
                if (i >= _end)
                {
                    _position = i;
                    throw Malformed(ProtocolError.JsonMalformed, "unterminated string");
                }

                byte b = _buffer[i];
                if (b == '"')
                {
                    break;
                }

                if (b < 0x20)
                {
                    _position = i;
                    throw Malformed(ProtocolError.JsonMalformed, "control character in string");
                }

                if (b == '\\')
                {
                    _stringHasEscapes = true;
                    if (i + 1 >= _end)
                    {
                        _position = i;
                        throw Malformed(ProtocolError.JsonMalformed, "unterminated escape");
                    }

                    byte e = _buffer[i + 1];
                    if (e == 'u')
                    {
                        if (i + 5 >= _end || HexValue(_buffer[i + 2]) < 0 || HexValue(_buffer[i + 3]) < 0 || HexValue(_buffer[i + 4]) < 0 || HexValue(_buffer[i + 5]) < 0)
                        {
                            _position = i;
                            throw Malformed(ProtocolError.JsonMalformed, "bad \\u escape");
                        }

                        i += 6;
                        continue;
                    }

                    if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                    {
                        _position = i;
                        throw Malformed(ProtocolError.JsonMalformed, "bad escape");
                    }

                    i += 2;
                    continue;
                }

                i++;
            }

            _position = i + 1;
            _tokenEnd = _position;
        }

        private void ScanNumber()
        {
            int i = _position;
            _numberIsInteger = true;
            if (_buffer[i] == '-')
            {
                i++;
            }

            if (i >= _end || !IsDigit(_buffer[i]))
            {
                _position = i;
                throw Malformed(ProtocolError.JsonMalformed, "bad number");
            }

            if (_buffer[i] == '0')
            {
                i++;
                if (i < _end && IsDigit(_buffer[i]))
                {
                    _position = i;
                    throw Malformed(ProtocolError.JsonMalformed, "leading zero in number");
                }
            }
            else
            {
                while (i < _end && IsDigit(_buffer[i]))
                {
                    i++;
                }
            }

            if (i < _end && _buffer[i] == '.')
            {
                _numberIsInteger = false;
                i++;
                int digits = i;
                while (i < _end && IsDigit(_buffer[i]))
                {
                    i++;
                }

                if (i == digits)
                {
                    _position = i;
                    throw Malformed(ProtocolError.JsonMalformed, "bad fraction");
                }
            }

            if (i < _end && (_buffer[i] == 'e' || _buffer[i] == 'E'))
            {
                _numberIsInteger = false;
                i++;
                if (i < _end && (_buffer[i] == '+' || _buffer[i] == '-'))
                {
                    i++;
                }

                int digits = i;
                while (i < _end && IsDigit(_buffer[i]))
                {
                    i++;
                }

                if (i == digits)
                {
                    _position = i;
                    throw Malformed(ProtocolError.JsonMalformed, "bad exponent");
                }
            }

            _position = i;
            _tokenEnd = i;
        }

        private void ScanLiteral(string literal)
        {
            if (_end - _position < literal.Length)
            {
                throw Malformed(ProtocolError.JsonMalformed, "bad literal");
            }

            for (int k = 0; k < literal.Length; k++)
            {
                if (_buffer[_position + k] != literal[k])
                {
                    throw Malformed(ProtocolError.JsonMalformed, "bad literal");
                }
            }

            _position += literal.Length;
            _tokenEnd = _position;
        }

        private void SkipWhiteSpace()
        {
            while (_position < _end)
            {
                byte b = _buffer[_position];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
                {
                    return;
                }

                _position++;
            }
        }

        private string Unescape(int start, int end)
        {
            // Escapes only shrink the text, so the raw length bounds the result.
            byte[] utf8 = new byte[end - start];
            int n = 0;
            int i = start;
            while (i < end)
            {
                byte b = _buffer[i];
                if (b != '\\')
                {
                    utf8[n++] = b;
                    i++;
                    continue;
                }

                byte e = _buffer[i + 1];
                if (e != 'u')
                {
                    utf8[n++] = e == 'b' ? (byte)8 : e == 'f' ? (byte)12 : e == 'n' ? (byte)10 : e == 'r' ? (byte)13 : e == 't' ? (byte)9 : e;
                    i += 2;
                    continue;
                }

                int code = ReadHex4(i + 2);
                i += 6;
                if (code >= 0xD800 && code <= 0xDBFF)
                {
                    if (i + 5 < end && _buffer[i] == '\\' && _buffer[i + 1] == 'u')
                    {
                        int low = ReadHex4(i + 2);
                        if (low >= 0xDC00 && low <= 0xDFFF)
                        {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                        else
                        {
                            throw Malformed(ProtocolError.JsonMalformed, "unpaired surrogate escape");
                        }
                    }
                    else
                    {
                        throw Malformed(ProtocolError.JsonMalformed, "unpaired surrogate escape");
                    }
                }
                else if (code >= 0xDC00 && code <= 0xDFFF)
                {
                    throw Malformed(ProtocolError.JsonMalformed, "unpaired surrogate escape");
                }

                n += WriteUtf8(code, utf8, n);
            }

            return DecodeUtf8(utf8, 0, n);
        }

        private static int WriteUtf8(int code, byte[] target, int at)
        {
            if (code < 0x80)
            {
                target[at] = (byte)code;
                return 1;
            }

            if (code < 0x800)
            {
                target[at] = (byte)(0xC0 | (code >> 6));
                target[at + 1] = (byte)(0x80 | (code & 0x3F));
                return 2;
            }

            if (code < 0x10000)
            {
                target[at] = (byte)(0xE0 | (code >> 12));
                target[at + 1] = (byte)(0x80 | ((code >> 6) & 0x3F));
                target[at + 2] = (byte)(0x80 | (code & 0x3F));
                return 3;
            }

            target[at] = (byte)(0xF0 | (code >> 18));
            target[at + 1] = (byte)(0x80 | ((code >> 12) & 0x3F));
            target[at + 2] = (byte)(0x80 | ((code >> 6) & 0x3F));
            target[at + 3] = (byte)(0x80 | (code & 0x3F));
            return 4;
        }

        private string DecodeUtf8(byte[] bytes, int offset, int count)
        {
            if (!Text.Utf8Validator.IsValid(bytes, offset, count))
            {
                throw Malformed(ProtocolError.JsonMalformed, "invalid UTF-8 in string");
            }

            return Encoding.UTF8.GetString(bytes, offset, count);
        }

        private int ReadHex4(int at)
        {
            return (HexValue(_buffer[at]) << 12) | (HexValue(_buffer[at + 1]) << 8) | (HexValue(_buffer[at + 2]) << 4) | HexValue(_buffer[at + 3]);
        }

        private static int HexValue(byte c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        private static bool IsDigit(byte c)
        {
            return c >= '0' && c <= '9';
        }
    }
}
