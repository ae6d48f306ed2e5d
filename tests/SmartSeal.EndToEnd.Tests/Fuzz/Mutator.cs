using System.Text;
using System.Text.Json.Nodes;

namespace SmartSeal.EndToEnd.Tests.Fuzz;

/// <summary>
/// Mutates well-formed inputs into hostile ones: JSON documents (values swapped for nasty ones,
/// keys dropped or added, types confused, nesting, size) and raw bytes (flips, cuts, splices).
/// Seeded, so a failing case can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly string[] Names = ["id", "sealId", "tokenId", "deviceId", "compartment", "attemptId", "seq", "type", "fix", "lat", "lon", "uses", "reason", "login",
        "password", "unitId", "parentId", "role", "mode", "stamps", "windowFromMs", "windowToMs", "location", "circle", "radiusM", "documents", "pages", "tag", "rfidTag", "action", "__proto__", "$where"];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A value chosen to break parsers, validators, storage and renderers.</summary>
    public JsonNode? Nasty() => _random.Next(24) switch
    {
        0 => null,
        1 => JsonValue.Create(true),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(0),
        4 => JsonValue.Create(long.MaxValue),
        5 => JsonValue.Create(long.MinValue),
        6 => JsonValue.Create(1e308),
        7 => JsonValue.Create(-0.5),
        8 => JsonValue.Create(string.Empty),
        9 => JsonValue.Create(new string('A', 1 + _random.Next(70_000))),
        10 => JsonValue.Create("\u0000\u0001\uFFFF\uD7FF"),
        11 => JsonValue.Create("../../../../etc/passwd"),
        12 => JsonValue.Create("' OR 1=1; DROP TABLE seals; --"),
        13 => JsonValue.Create("<script>alert(1)</script>"),
        14 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null),
        15 => new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray() } },
        16 => JsonValue.Create("印章🔏\u202E"),
        17 => JsonValue.Create("9999999999999999999999999999"),
        18 => JsonValue.Create("1e400"),
        19 => JsonValue.Create("lock-0001"),
        20 => JsonValue.Create(_random.Next()),
        21 => JsonValue.Create("NaN"),
        22 => JsonValue.Create(double.Epsilon),
        _ => JsonValue.Create("%00%2e%2e%2f"),
    };

    /// <summary>One to four structural or value changes anywhere in the document.</summary>
    public JsonNode? Mutate(JsonNode? template)
    {
        JsonNode? node = template?.DeepClone();
        int changes = 1 + _random.Next(4);
        for (int i = 0; i < changes; i++)
        {
            node = MutateOnce(node);
        }

        return node;
    }

    /// <summary>Text that is no longer (or never was) the expected JSON.</summary>
    public byte[] MutateText(string json) => _random.Next(8) switch
    {
        0 => Encoding.UTF8.GetBytes(json[..Math.Max(0, _random.Next(json.Length))]),
        1 => Encoding.UTF8.GetBytes(new string('[', 1 + _random.Next(5000)) + new string(']', _random.Next(5000))),
        2 => Bytes(1 + _random.Next(512)),
        3 => "null"u8.ToArray(),
        4 => Encoding.UTF8.GetBytes(json.Replace("\"", "'", StringComparison.Ordinal)),
        5 => [0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0x28, 0x8C, 0xBC],
        6 => Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2," + json.TrimStart('{')),
        _ => Flip(Encoding.UTF8.GetBytes(json)),
    };

    public byte[] Bytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A few bytes flipped, cut, duplicated or spliced in.</summary>
    public byte[] Flip(byte[] source)
    {
        if (source.Length == 0)
        {
            return Bytes(8);
        }

        byte[] bytes = source.ToArray();
        switch (_random.Next(4))
        {
            case 0:
                for (int i = 0, n = 1 + _random.Next(3); i < n; i++)
                {
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return bytes;
            case 1:
                return bytes[.._random.Next(bytes.Length)];
            case 2:
                int at = _random.Next(bytes.Length);
                return [.. bytes[..at], .. Bytes(1 + _random.Next(16)), .. bytes[at..]];
            default:
                return [.. bytes, .. bytes];
        }
    }

    private JsonNode? MutateOnce(JsonNode? node)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            string key = obj.ElementAt(_random.Next(obj.Count)).Key;
            switch (_random.Next(5))
            {
                case 0:
                    obj.Remove(key);
                    return obj;
                case 1:
                    obj[Pick(Names)] = Nasty();
                    return obj;
                case 2 when obj[key] is JsonObject or JsonArray:
                    obj[key] = MutateOnce(obj[key]!.DeepClone());
                    return obj;
                default:
                    obj[key] = Nasty();
                    return obj;
            }
        }

        if (node is JsonArray array && array.Count > 0)
        {
            int index = _random.Next(array.Count);
            array[index] = array[index] is JsonObject inner ? MutateOnce(inner.DeepClone()) : Nasty();
            return array;
        }

        return _random.Next(3) == 0 ? new JsonObject { [Pick(Names)] = Nasty() } : Nasty();
    }
}
