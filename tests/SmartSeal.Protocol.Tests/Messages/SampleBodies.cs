using System.Reflection;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Protocol.Tests.Messages;

/// <summary>Every message type with a body whose every field is set to a valid, non-default value.</summary>
internal static class SampleBodies
{
    public static IEnumerable<string> AllTypes() =>
        typeof(MessageTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    public static MessageBody Filled(string type)
    {
        MessageBody body = MessageCodec.Create(type)!;
        foreach (FieldInfo field in body.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            field.SetValue(body, SampleValue(field));
        }

        return body;
    }

    public static GeoFix Fix() => new()
    {
        TimeMs = 1_800_000_000_123, LatE7 = -339_000_000, LonE7 = 1_512_000_000, AccuracyCm = 450, AltitudeCm = -1200,
        SpeedCmS = 130, CourseCdeg = 27_050, Satellites = 14, Quality = 1,
    };

    private static object SampleValue(FieldInfo field)
    {
        Type t = field.FieldType;
        if (t == typeof(string))
        {
            return field.Name is "Detail" or "Reason" ? "印章 détail \"quoted\"" : field.Name == "Token" ? "aaa.bbb.ccc" : "id-" + field.Name.ToLowerInvariant();
        }

        if (t == typeof(int))
        {
            return field.Name switch { "ChunkSize" => 512, "Percent" => 87, _ => 5 };
        }

        if (t == typeof(long))
        {
            return 1_234_567_890L;
        }

        if (t == typeof(bool))
        {
            return true;
        }

        if (t.IsEnum)
        {
            return Enum.ToObject(t, 2);
        }

        if (t == typeof(GeoFix))
        {
            return Fix();
        }

        if (t == typeof(string[]))
        {
            return new[] { "tok-1", "tok-2" };
        }

        if (t == typeof(long[]))
        {
            return new[] { 3L, 4L, 9L };
        }

        if (t == typeof(byte[]))
        {
            return Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        }

        throw new InvalidOperationException("no sample for " + t);
    }
}
