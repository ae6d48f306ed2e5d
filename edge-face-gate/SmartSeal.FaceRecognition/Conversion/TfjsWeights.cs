using System.Text.Json;

namespace SmartSeal.FaceRecognition.Conversion;

/// <summary>One named weight tensor of a TensorFlow.js model, as float32 in the manifest's shape.</summary>
public sealed record TfjsTensor(string Name, int[] Shape, float[] Values);

/// <summary>
/// Reads a TensorFlow.js weights manifest (<c>*-weights_manifest.json</c>: groups of shard paths and
/// weight specs) and its binary shards. The shards of a group are one byte stream in which the weights
/// follow each other in spec order. A spec with <c>quantization</c> {dtype uint8|uint16, scale, min}
/// stores q per value and means q·scale + min (the tfjs weight format); <c>quantization</c> {dtype
/// float16} stores IEEE half floats; float32 is stored as is. int32 tensors (a graph model's shapes and
/// paddings) are read as their float values, exact for the small integers they hold.
/// </summary>
public static class TfjsWeights
{
    public static Dictionary<string, TfjsTensor> Read(string manifestPath)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        return Read(manifest.RootElement, manifestPath);
    }

    /// <summary>The weights of a manifest (an array of groups) whose shard paths are relative to <paramref name="manifestPath"/>'s folder.</summary>
    public static Dictionary<string, TfjsTensor> Read(JsonElement manifest, string manifestPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        Dictionary<string, TfjsTensor> weights = new(StringComparer.Ordinal);
        foreach (JsonElement group in manifest.EnumerateArray())
        {
            byte[] stream = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(folder, p.GetString()!))).ToArray();
            int offset = 0;
            foreach (JsonElement spec in group.GetProperty("weights").EnumerateArray())
            {
                TfjsTensor tensor = ReadOne(spec, stream, ref offset);
                weights.Add(tensor.Name, tensor);
            }

            if (offset != stream.Length)
            {
                throw new FaceModelException($"{manifestPath}: the shards hold {stream.Length} bytes, the specs describe {offset}");
            }
        }

        return weights;
    }

    private static TfjsTensor ReadOne(JsonElement spec, byte[] stream, ref int offset)
    {
        string name = spec.GetProperty("name").GetString()!;
        int[] shape = spec.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        string dtype = spec.GetProperty("dtype").GetString()!;
        if (dtype is not ("float32" or "int32"))
        {
            throw new FaceModelException($"weight {name}: dtype {dtype} is not supported (float32, int32)");
        }

        float[] values = new float[count];
        if (dtype == "int32")
        {
            Need(name, stream, offset, count * sizeof(int));
            for (int i = 0; i < count; i++)
            {
                values[i] = BitConverter.ToInt32(stream, offset + (4 * i));
            }

            offset += count * sizeof(int);
        }
        else if (spec.TryGetProperty("quantization", out JsonElement q) && q.GetProperty("dtype").GetString() == "float16")
        {
            Need(name, stream, offset, count * 2);
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)BitConverter.ToHalf(stream, offset + (2 * i));
            }

            offset += count * 2;
        }
        else if (spec.TryGetProperty("quantization", out q))
        {
            string stored = q.GetProperty("dtype").GetString()!;
            double scale = q.GetProperty("scale").GetDouble(), min = q.GetProperty("min").GetDouble();
            int width = stored switch
            {
                "uint8" => 1,
                "uint16" => 2,
                _ => throw new FaceModelException($"weight {name}: quantization {stored} is not supported"),
            };
            Need(name, stream, offset, count * width);
            for (int i = 0; i < count; i++)
            {
                int level = width == 1 ? stream[offset + i] : BitConverter.ToUInt16(stream, offset + 2 * i);
                // As tfjs does: in double, then stored as float32.
                values[i] = (float)(level * scale + min);
            }

            offset += count * width;
        }
        else
        {
            Need(name, stream, offset, count * sizeof(float));
            Buffer.BlockCopy(stream, offset, values, 0, count * sizeof(float));
            offset += count * sizeof(float);
        }

        return new TfjsTensor(name, shape, values);
    }

    private static void Need(string name, byte[] stream, int offset, int bytes)
    {
        if (offset + bytes > stream.Length)
        {
            throw new FaceModelException($"weight {name}: the shards end before its {bytes} bytes");
        }
    }
}
