using System.Text;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Tests.Json;

public class JsonWriterTests
{
    private static string Text(JsonWriter writer) => Encoding.UTF8.GetString(writer.Buffer, 0, writer.Length);

    [Fact]
    public void Writes_compact_canonical_json()
    {
        var writer = new JsonWriter();
        writer.BeginObject();
        writer.Property("s", "a\"b\\c\n\t\r\u0001/é印");
        writer.Property("n", -9007199254740993L);
        writer.Property("z", 0L);
        writer.Property("t", true);
        writer.Name("arr");
        writer.BeginArray();
        writer.Number(1);
        writer.Null();
        writer.BeginObject();
        writer.EndObject();
        writer.EndArray();
        writer.EndObject();

        Assert.Equal("{\"s\":\"a\\\"b\\\\c\\n\\t\\r\\u0001/é印\",\"n\":-9007199254740993,\"z\":0,\"t\":true,\"arr\":[1,null,{}]}", Text(writer));
    }

    [Fact]
    public void Output_reads_back_to_the_same_values()
    {
        string tricky = "\u2028 \U0001F600 \u007f \u0000 ü 印章 \"q\"";
        var writer = new JsonWriter();
        writer.BeginObject();
        writer.Property("s", tricky);
        writer.Property("n", long.MaxValue);
        writer.EndObject();

        byte[] bytes = writer.ToArray();
        var reader = new JsonReader(bytes, 0, bytes.Length);
        reader.ReadExpected(JsonTokenType.StartObject);
        reader.ReadPropertyOrEnd();
        Assert.Equal(tricky, reader.ReadString());
        reader.ReadPropertyOrEnd();
        var e = Assert.Throws<ProtocolException>(() => reader.ReadInt64());
        Assert.Equal(ProtocolError.JsonNumberOutOfRange, e.Error); // 19 digits are outside the protocol's range
    }

    [Fact]
    public void Growing_past_the_limit_is_refused_with_a_code()
    {
        var writer = new JsonWriter(16, 64);
        writer.BeginArray();
        var e = Assert.Throws<ProtocolException>(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                writer.String("0123456789");
            }
        });
        Assert.Equal(ProtocolError.JsonTooLarge, e.Error);
    }

    [Fact]
    public void A_long_string_that_fits_is_not_refused_by_worst_case_estimates()
    {
        var writer = new JsonWriter(16, 1100);
        writer.String(new string('a', 1000));
        Assert.Equal(1002, writer.Length);
    }

    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        var writer = new JsonWriter();
        Assert.Equal(ProtocolError.JsonMalformed, Assert.Throws<ProtocolException>(() => writer.String("a\ud800b")).Error);
    }

    [Fact]
    public void Misuse_is_caught()
    {
        var writer = new JsonWriter();
        Assert.Throws<InvalidOperationException>(() => writer.Name("x"));
        writer.Number(1);
        Assert.Throws<InvalidOperationException>(() => writer.Number(2));
        writer.Reset();
        writer.BeginObject();
        Assert.Throws<InvalidOperationException>(() => writer.EndArray() );
    }

    [Fact]
    public void Reset_reuses_the_buffer()
    {
        var writer = new JsonWriter();
        writer.BeginObject();
        writer.Property("a", 1);
        writer.EndObject();
        byte[] buffer = writer.Buffer;
        writer.Reset();
        writer.BeginArray();
        writer.EndArray();
        Assert.Same(buffer, writer.Buffer);
        Assert.Equal("[]", Text(writer));
    }
}
