using System.Text;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Tests.Json;

public class JsonReaderTests
{
    private static JsonReader ReaderOver(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return new JsonReader(bytes, 0, bytes.Length);
    }

    private static ProtocolError ErrorOfReadingAll(string json)
    {
        JsonReader reader = ReaderOver(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    reader.GetString();
                }
            }

            return ProtocolError.None;
        }
        catch (ProtocolException e)
        {
            return e.Error;
        }
    }

    [Fact]
    public void Reads_tokens_of_a_nested_document_in_order()
    {
        JsonReader reader = ReaderOver(" {\"a\": [1, -2, true, false, null, \"x\"], \"b\": {}} ");
        var seen = new List<JsonTokenType>();
        while (reader.Read())
        {
            seen.Add(reader.TokenType);
        }

        Assert.Equal(
            new[]
            {
                JsonTokenType.StartObject, JsonTokenType.PropertyName, JsonTokenType.StartArray, JsonTokenType.Number,
                JsonTokenType.Number, JsonTokenType.True, JsonTokenType.False, JsonTokenType.Null, JsonTokenType.String,
                JsonTokenType.EndArray, JsonTokenType.PropertyName, JsonTokenType.StartObject, JsonTokenType.EndObject,
                JsonTokenType.EndObject,
            },
            seen);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d")]
    [InlineData("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t")]
    [InlineData("\"\\u4e2d\\u6587\"", "中文")]
    [InlineData("\"印章\"", "印章")]
    [InlineData("\"\\ud83d\\ude00\"", "\U0001F600")]
    public void Decodes_strings_and_escapes(string json, string expected)
    {
        JsonReader reader = ReaderOver(json);
        reader.ReadExpected(JsonTokenType.String);
        Assert.Equal(expected, reader.GetString());
        Assert.True(reader.ValueEquals(expected));
    }

    [Fact]
    public void ValueEquals_does_not_confuse_latin1_text_with_utf8_bytes()
    {
        // "é" is C3 A9 in UTF-8; "Ã©" is two UTF-16 units with the same numeric values.
        JsonReader reader = ReaderOver("\"é\"");
        reader.ReadExpected(JsonTokenType.String);
        Assert.False(reader.ValueEquals("Ã©"));
        Assert.True(reader.ValueEquals("é"));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("-1234567890123", -1234567890123L)]
    [InlineData("999999999999999999", 999999999999999999L)]
    public void Reads_integers(string json, long expected)
    {
        JsonReader reader = ReaderOver(json);
        Assert.Equal(expected, reader.ReadInt64());
    }

    [Theory]
    [InlineData("1.5", ProtocolError.JsonNumberNotInteger)]
    [InlineData("1e3", ProtocolError.JsonNumberNotInteger)]
    [InlineData("1234567890123456789", ProtocolError.JsonNumberOutOfRange)]
    [InlineData("\"7\"", ProtocolError.JsonUnexpectedType)]
    public void Refuses_numbers_the_protocol_does_not_use(string json, ProtocolError expected)
    {
        JsonReader reader = ReaderOver(json);
        var e = Assert.Throws<ProtocolException>(() =>
        {
            reader.Read();
            reader.GetInt64();
        });
        Assert.Equal(expected, e.Error);
    }

    [Theory]
    [InlineData("", ProtocolError.JsonMalformed)]
    [InlineData("{", ProtocolError.JsonMalformed)]
    [InlineData("{\"a\"}", ProtocolError.JsonMalformed)]
    [InlineData("{\"a\":}", ProtocolError.JsonMalformed)]
    [InlineData("{\"a\":1,}", ProtocolError.JsonMalformed)]
    [InlineData("[1,]", ProtocolError.JsonMalformed)]
    [InlineData("[1 2]", ProtocolError.JsonMalformed)]
    [InlineData("{'a':1}", ProtocolError.JsonMalformed)]
    [InlineData("[}", ProtocolError.JsonMalformed)]
    [InlineData("{]", ProtocolError.JsonMalformed)]
    [InlineData("01", ProtocolError.JsonMalformed)]
    [InlineData("-", ProtocolError.JsonMalformed)]
    [InlineData("1.", ProtocolError.JsonMalformed)]
    [InlineData("1e", ProtocolError.JsonMalformed)]
    [InlineData("tru", ProtocolError.JsonMalformed)]
    [InlineData("nul", ProtocolError.JsonMalformed)]
    [InlineData("\"abc", ProtocolError.JsonMalformed)]
    [InlineData("\"a\u0001b\"", ProtocolError.JsonMalformed)]
    [InlineData("\"\\x\"", ProtocolError.JsonMalformed)]
    [InlineData("\"\\u12\"", ProtocolError.JsonMalformed)]
    [InlineData("\"\\ud800\"", ProtocolError.JsonMalformed)]
    [InlineData("\"\\udc00\"", ProtocolError.JsonMalformed)]
    [InlineData("{} {}", ProtocolError.JsonTrailingData)]
    [InlineData("1 2", ProtocolError.JsonTrailingData)]
    [InlineData("[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", ProtocolError.JsonTooDeep)]
    public void Refuses_malformed_documents_with_a_code(string json, ProtocolError expected)
    {
        Assert.Equal(expected, ErrorOfReadingAll(json));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xC3, 0x22 })] // truncated 2-byte sequence
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 })] // overlong '/'
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 })] // UTF-16 surrogate encoded in UTF-8
    [InlineData(new byte[] { 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22 })] // above U+10FFFF
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 })]
    public void Refuses_invalid_utf8_in_strings(byte[] json)
    {
        JsonReader reader = new(json, 0, json.Length);
        reader.ReadExpected(JsonTokenType.String);
        var e = Assert.Throws<ProtocolException>(() => reader.GetString());
        Assert.Equal(ProtocolError.JsonMalformed, e.Error);
    }

    [Fact]
    public void Refuses_strings_longer_than_the_limit()
    {
        JsonReader reader = ReaderOver("\"" + new string('x', 100) + "\"");
        reader.MaxStringLength = 99;
        reader.ReadExpected(JsonTokenType.String);
        Assert.Equal(ProtocolError.JsonStringTooLong, Assert.Throws<ProtocolException>(() => reader.GetString()).Error);
    }

    [Fact]
    public void Skip_passes_over_a_whole_nested_value_and_reports_its_extent()
    {
        const string json = "{\"skip\":{\"x\":[1,{\"y\":\"}\"}]},\"keep\":7}";
        JsonReader reader = ReaderOver(json);
        reader.ReadExpected(JsonTokenType.StartObject);
        Assert.True(reader.ReadPropertyOrEnd());
        reader.ReadExpected(JsonTokenType.StartObject);
        int start = reader.TokenStart;
        reader.Skip();
        Assert.Equal("{\"x\":[1,{\"y\":\"}\"}]}", json.Substring(start, reader.TokenEnd - start));
        Assert.True(reader.ReadPropertyOrEnd());
        Assert.True(reader.ValueEquals("keep"));
        Assert.Equal(7, reader.ReadInt32());
        Assert.False(reader.ReadPropertyOrEnd());
        reader.ReadEndOfDocument();
    }

    [Fact]
    public void Reads_a_slice_of_a_larger_buffer_only()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("xx[1]yy");
        JsonReader reader = new(bytes, 2, 3);
        reader.ReadExpected(JsonTokenType.StartArray);
        Assert.Equal(1, reader.ReadInt32());
        reader.ReadExpected(JsonTokenType.EndArray);
        reader.ReadEndOfDocument();
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_a_protocol_error()
    {
        var random = new Random(1234);
        byte[] alphabet = Encoding.ASCII.GetBytes("{}[]:,\"\\ 0123456789-.eEtrufalsn\u0001é");
        for (int round = 0; round < 20000; round++)
        {
            byte[] input = new byte[random.Next(0, 24)];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = random.Next(8) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            JsonReader reader = new(input, 0, input.Length);
            try
            {
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.Number && reader.Depth >= 0)
                    {
                        try
                        {
                            reader.GetInt64();
                        }
                        catch (ProtocolException)
                        {
                        }
                    }
                }
            }
            catch (ProtocolException e)
            {
                Assert.NotEqual(ProtocolError.None, e.Error);
            }
        }
    }
}
