using System.Text;
using System.Text.Json;
using static SmartSeal.FaceRecognition.Conversion.OnnxGraphWriter;

namespace SmartSeal.FaceRecognition.Conversion;

/// <summary>One output of a converted graph: its signature name and its shape (batch first, -1).</summary>
public sealed record TfjsGraphOutput(string Name, long[] Shape);

/// <summary>A converted graph: the ONNX bytes, the NHWC input (name, height, width, channels) and the outputs.</summary>
public sealed record TfjsConvertedGraph(byte[] Model, string InputName, int Height, int Width, int Channels, IReadOnlyList<TfjsGraphOutput> Outputs);

/// <summary>
/// Converts a TensorFlow.js graph model (<c>model.json</c> with <c>format: graph-model</c>: a GraphDef of
/// nodes plus a weights manifest) into an ONNX graph, for exactly the operators a MobileNet-like
/// NHWC image network uses: Placeholder, Const, _FusedConv2D (BiasAdd, optionally + Prelu or Relu),
/// DepthwiseConv2dNative, AddV2, Prelu, MaxPool, Pad, Sigmoid, Reshape, Identity. Any other operator,
/// data format or attribute stops the conversion with a <see cref="FaceModelException"/> naming it.
/// The ONNX input keeps TensorFlow's NHWC layout and is transposed once to NCHW; weights are
/// rearranged to ONNX's layouts (OIHW), and a 4-d tensor is transposed back to NHWC before a Reshape,
/// so the flattening order is TensorFlow's. TensorFlow's SAME padding (the extra row/column at the
/// end) becomes explicit pads.
/// </summary>
public static class TfjsGraphConverter
{
    private sealed record Value(string OnnxName, int Channels, int Height, int Width, bool Nchw);

    private sealed record Node(string Name, string Op, string[] Inputs, JsonElement Attributes);

    /// <summary>The ONNX graph of the model; with <paramref name="keepOutputs"/>, only those signature outputs and the nodes they need.</summary>
    public static TfjsConvertedGraph Convert(string modelJsonPath, IReadOnlyCollection<string>? keepOutputs = null)
    {
        using JsonDocument model = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        JsonElement root = model.RootElement;
        if (!root.TryGetProperty("format", out JsonElement format) || format.GetString() != "graph-model")
        {
            throw new FaceModelException($"{modelJsonPath}: not a TensorFlow.js graph model (format must be graph-model)");
        }

        Dictionary<string, TfjsTensor> weights = TfjsWeights.Read(root.GetProperty("weightsManifest"), modelJsonPath);
        List<Node> nodes = root.GetProperty("modelTopology").GetProperty("node").EnumerateArray()
            .Select(n => new Node(
                n.GetProperty("name").GetString()!,
                n.GetProperty("op").GetString()!,
                n.TryGetProperty("input", out JsonElement i) ? i.EnumerateArray().Select(x => x.GetString()!).Where(x => !x.StartsWith('^')).ToArray() : [],
                n.TryGetProperty("attr", out JsonElement a) ? a.Clone() : default))
            .ToList();

        List<JsonProperty> signatureOutputs = root.GetProperty("signature").GetProperty("outputs").EnumerateObject()
            .Where(o => keepOutputs is null || keepOutputs.Contains(o.Name)).ToList();
        if (keepOutputs is not null && signatureOutputs.Count != keepOutputs.Count)
        {
            throw new FaceModelException($"{modelJsonPath}: the signature has no output named {string.Join(", ", keepOutputs.Except(signatureOutputs.Select(o => o.Name)))}");
        }

        // Only the nodes the kept outputs depend on: an unused head costs time at every run otherwise.
        Dictionary<string, Node> byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        HashSet<string> needed = new(StringComparer.Ordinal);
        Stack<string> open = new(signatureOutputs.Select(o => Strip(o.Value.GetProperty("name").GetString()!)));
        while (open.TryPop(out string? name))
        {
            if (needed.Add(name) && byName.TryGetValue(name, out Node? node))
            {
                foreach (string input in node.Inputs)
                {
                    open.Push(Strip(input));
                }
            }
        }

        nodes = nodes.Where(n => needed.Contains(n.Name) || n.Op == "Placeholder").ToList();
        OnnxGraphWriter g = new();
        Dictionary<string, Value> values = new(StringComparer.Ordinal);
        string inputName = "";
        int height = 0, width = 0, channels = 0;
        // The GraphDef lists nodes in no guaranteed order: convert each once all its non-constant inputs exist.
        List<Node> pending = nodes.Where(n => n.Op != "Const").ToList();
        foreach (Node node in nodes.Where(n => n.Op == "Const"))
        {
            if (!weights.ContainsKey(node.Name))
            {
                throw new FaceModelException($"{modelJsonPath}: constant {node.Name} has no weights in the manifest");
            }
        }

        while (pending.Count > 0)
        {
            Node? ready = pending.FirstOrDefault(n => n.Inputs.All(i => weights.ContainsKey(Strip(i)) || values.ContainsKey(Strip(i))));
            if (ready is null)
            {
                throw new FaceModelException($"{modelJsonPath}: node {pending[0].Name} ({pending[0].Op}) has an input no node produces");
            }

            pending.Remove(ready);
            if (ready.Op == "Placeholder")
            {
                long[] shape = ready.Attributes.GetProperty("shape").GetProperty("shape").GetProperty("dim").EnumerateArray()
                    .Select(d => long.Parse(d.GetProperty("size").GetString()!)).ToArray();
                if (shape.Length != 4)
                {
                    throw new FaceModelException($"{modelJsonPath}: input {ready.Name} is not NHWC (shape {string.Join('x', shape)})");
                }

                (inputName, height, width, channels) = (ready.Name, (int)shape[1], (int)shape[2], (int)shape[3]);
                g.Input(inputName, -1, height, width, channels);
                string nchw = g.Node("Transpose", [inputName], g.NewName("nchw"), Ints("perm", 0, 3, 1, 2));
                values[ready.Name] = new Value(nchw, channels, height, width, Nchw: true);
                continue;
            }

            values[ready.Name] = ConvertNode(g, ready, weights, values);
        }

        List<TfjsGraphOutput> outputs = [];
        foreach (JsonProperty output in signatureOutputs)
        {
            Value v = values[Strip(output.Value.GetProperty("name").GetString()!)];
            if (v.Nchw)
            {
                throw new FaceModelException($"{modelJsonPath}: output {output.Name} is a 4-d tensor; only flat outputs are supported");
            }

            g.Node("Identity", [v.OnnxName], output.Name);
            long[] shape = [-1, v.Channels];
            g.Output(output.Name, shape);
            outputs.Add(new TfjsGraphOutput(output.Name, shape));
        }

        byte[] bytes = g.ToModel(root.TryGetProperty("generatedBy", out JsonElement by) ? by.GetString() ?? "tfjs" : "tfjs", "SmartSeal.FaceRecognition TfjsGraphConverter");
        return new TfjsConvertedGraph(bytes, inputName, height, width, channels, outputs);
    }

    private static Value ConvertNode(OnnxGraphWriter g, Node node, Dictionary<string, TfjsTensor> weights, Dictionary<string, Value> values)
    {
        Value In(int i) => values.TryGetValue(Strip(node.Inputs[i]), out Value? v) ? v
            : throw new FaceModelException($"node {node.Name} ({node.Op}): input {i} is a constant where a tensor is expected");
        TfjsTensor Weight(int i) => weights.TryGetValue(Strip(node.Inputs[i]), out TfjsTensor? t) ? t
            : throw new FaceModelException($"node {node.Name} ({node.Op}): input {i} must be a constant");
        string safe = node.Name.Replace('/', '_');

        switch (node.Op)
        {
            case "_FusedConv2D":
            {
                NeedNhwc(node);
                string[] fused = Strings(node, "fused_ops");
                if (fused.Length == 0 || fused[0] != "BiasAdd" || fused.Length > 2 || (fused.Length == 2 && fused[1] is not ("Prelu" or "Relu")))
                {
                    throw new FaceModelException($"node {node.Name}: fused_ops [{string.Join(", ", fused)}] not supported (BiasAdd, optionally Prelu or Relu)");
                }

                TfjsTensor filter = Weight(1);
                int kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cout = filter.Shape[3];
                float[] kernel = new float[cout * cin * kh * kw];
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        for (int i = 0; i < cin; i++)
                            for (int o = 0; o < cout; o++)
                            {
                                kernel[((o * cin + i) * kh + y) * kw + x] = filter.Values[((y * kw + x) * cin + i) * cout + o];
                            }

                Value x0 = In(0);
                Value conv = Conv(g, node, x0, g.Constant(safe + "_w", kernel, cout, cin, kh, kw), Weight(2), kh, kw, cout, group: 1, safe);
                if (fused.Length == 2)
                {
                    string activated = fused[1] == "Relu"
                        ? g.Node("Relu", [conv.OnnxName], g.NewName(safe + "_relu"))
                        : g.Node("PRelu", [conv.OnnxName, Slope(g, Weight(3), cout, safe)], g.NewName(safe + "_prelu"));
                    return conv with { OnnxName = activated };
                }

                return conv;
            }

            case "DepthwiseConv2dNative":
            {
                NeedNhwc(node);
                TfjsTensor filter = Weight(1);
                int kh = filter.Shape[0], kw = filter.Shape[1], c = filter.Shape[2], m = filter.Shape[3];
                float[] kernel = new float[c * m * kh * kw];
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        for (int i = 0; i < c; i++)
                            for (int j = 0; j < m; j++)
                            {
                                kernel[(((i * m) + j) * kh + y) * kw + x] = filter.Values[((y * kw + x) * c + i) * m + j];
                            }

                return Conv(g, node, In(0), g.Constant(safe + "_w", kernel, c * m, 1, kh, kw), bias: null, kh, kw, c * m, group: c, safe);
            }

            case "AddV2":
            {
                Value a = In(0), b = In(1);
                if ((a.Channels, a.Height, a.Width, a.Nchw) != (b.Channels, b.Height, b.Width, b.Nchw))
                {
                    throw new FaceModelException($"node {node.Name}: AddV2 of different shapes (broadcasting is not supported)");
                }

                return a with { OnnxName = g.Node("Add", [a.OnnxName, b.OnnxName], g.NewName(safe)) };
            }

            case "Prelu":
            {
                Value x = In(0);
                return x with { OnnxName = g.Node("PRelu", [x.OnnxName, Slope(g, Weight(1), x.Channels, safe)], g.NewName(safe)) };
            }

            case "Sigmoid":
            {
                Value x = In(0);
                return x with { OnnxName = g.Node("Sigmoid", [x.OnnxName], g.NewName(safe)) };
            }

            case "Identity":
                return In(0);

            case "MaxPool":
            {
                NeedNhwc(node);
                long[] k = Longs(node, "ksize"), s = Longs(node, "strides");
                if (k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1)
                {
                    throw new FaceModelException($"node {node.Name}: MaxPool over batch or channels is not supported");
                }

                Value x = In(0);
                (long[] pads, int oh, int ow) = Padding(node, x, (int)k[1], (int)k[2], (int)s[1], (int)s[2]);
                string pooled = g.Node("MaxPool", [x.OnnxName], g.NewName(safe),
                    Ints("kernel_shape", k[1], k[2]), Ints("strides", s[1], s[2]), Ints("pads", pads));
                return x with { OnnxName = pooled, Height = oh, Width = ow };
            }

            case "Pad":
            {
                Value x = In(0);
                float[] p = Weight(1).Values;  // [4, 2] in NHWC order: (before, after) per axis
                if (!x.Nchw || p.Length != 8 || p[0] != 0 || p[1] != 0)
                {
                    throw new FaceModelException($"node {node.Name}: Pad is supported on 4-d tensors without batch padding only");
                }

                long[] pads = [0, (long)p[6], (long)p[2], (long)p[4], 0, (long)p[7], (long)p[3], (long)p[5]];
                string padded = g.Node("Pad", [x.OnnxName, g.Constant(g.NewName(safe + "_pads"), pads)], g.NewName(safe));
                return new Value(padded, x.Channels + (int)(p[6] + p[7]), x.Height + (int)(p[2] + p[3]), x.Width + (int)(p[4] + p[5]), Nchw: true);
            }

            case "Reshape":
            {
                Value x = In(0);
                long[] shape = Weight(1).Values.Select(v => (long)v).ToArray();
                if (shape.Length != 2 || shape[0] != -1)
                {
                    throw new FaceModelException($"node {node.Name}: only a Reshape to [-1, n] is supported");
                }

                int flat = x.Channels * x.Height * x.Width;
                if (shape[1] != flat)
                {
                    throw new FaceModelException($"node {node.Name}: Reshape to {shape[1]} of a tensor of {flat} values per item");
                }

                // Back to NHWC first so the flattening order is TensorFlow's.
                string source = x.Nchw ? g.Node("Transpose", [x.OnnxName], g.NewName(safe + "_nhwc"), Ints("perm", 0, 2, 3, 1)) : x.OnnxName;
                string reshaped = g.Node("Reshape", [source, g.Constant(g.NewName(safe + "_shape"), [-1L, flat])], g.NewName(safe));
                return new Value(reshaped, flat, 1, 1, Nchw: false);
            }

            default:
                throw new FaceModelException($"node {node.Name}: operator {node.Op} is not supported by the converter (supported: Placeholder, Const, _FusedConv2D, DepthwiseConv2dNative, AddV2, Prelu, MaxPool, Pad, Sigmoid, Reshape, Identity)");
        }
    }

    private static Value Conv(OnnxGraphWriter g, Node node, Value x, string kernel, TfjsTensor? bias, int kh, int kw, int cout, int group, string safe)
    {
        long[] s = Longs(node, "strides");
        if (node.Attributes.TryGetProperty("dilations", out _) && Longs(node, "dilations").Any(d => d != 1))
        {
            throw new FaceModelException($"node {node.Name}: dilated convolutions are not supported");
        }

        if (s[0] != 1 || s[3] != 1)
        {
            throw new FaceModelException($"node {node.Name}: strides over batch or channels are not supported");
        }

        (long[] pads, int oh, int ow) = Padding(node, x, kh, kw, (int)s[1], (int)s[2]);
        string[] inputs = bias is null ? [x.OnnxName, kernel] : [x.OnnxName, kernel, g.Constant(safe + "_b", bias.Values, cout)];
        string output = g.Node("Conv", inputs, g.NewName(safe),
            Ints("kernel_shape", kh, kw), Ints("strides", s[1], s[2]), Ints("pads", pads), Int("group", group));
        return new Value(output, cout, oh, ow, Nchw: true);
    }

    /// <summary>ONNX pads (top, left, bottom, right) and the output size for TensorFlow's VALID or SAME padding.</summary>
    private static (long[] Pads, int Height, int Width) Padding(Node node, Value x, int kh, int kw, int sh, int sw)
    {
        string padding = String(node, "padding");
        if (padding == "VALID")
        {
            return ([0, 0, 0, 0], ((x.Height - kh) / sh) + 1, ((x.Width - kw) / sw) + 1);
        }

        if (padding != "SAME")
        {
            throw new FaceModelException($"node {node.Name}: padding {padding} is not supported (VALID, SAME)");
        }

        int oh = (x.Height + sh - 1) / sh, ow = (x.Width + sw - 1) / sw;
        int th = Math.Max(((oh - 1) * sh) + kh - x.Height, 0), tw = Math.Max(((ow - 1) * sw) + kw - x.Width, 0);
        // TensorFlow puts the odd pixel at the end (bottom, right).
        return ([th / 2, tw / 2, th - (th / 2), tw - (tw / 2)], oh, ow);
    }

    /// <summary>A PReLU slope stored for NHWC broadcasting ([1, 1, C] or [C]) as ONNX's [C, 1, 1].</summary>
    private static string Slope(OnnxGraphWriter g, TfjsTensor alpha, int channels, string safe)
    {
        if (alpha.Values.Length != channels)
        {
            throw new FaceModelException($"PReLU slope {alpha.Name}: {alpha.Values.Length} values for {channels} channels");
        }

        return g.Constant(g.NewName(safe + "_slope"), alpha.Values, channels, 1, 1);
    }

    private static void NeedNhwc(Node node)
    {
        if (node.Attributes.ValueKind == JsonValueKind.Object && node.Attributes.TryGetProperty("data_format", out _) && String(node, "data_format") != "NHWC")
        {
            throw new FaceModelException($"node {node.Name}: data format {String(node, "data_format")} is not supported (NHWC)");
        }
    }

    private static string Strip(string input) => input.EndsWith(":0", StringComparison.Ordinal) ? input[..^2] : input;

    private static JsonElement Attribute(Node node, string name) =>
        node.Attributes.ValueKind == JsonValueKind.Object && node.Attributes.TryGetProperty(name, out JsonElement a) ? a
            : throw new FaceModelException($"node {node.Name} ({node.Op}): attribute {name} is missing");

    // tfjs stores attribute strings base64-encoded (the GraphDef's bytes fields).
    private static string String(Node node, string name) => Encoding.UTF8.GetString(System.Convert.FromBase64String(Attribute(node, name).GetProperty("s").GetString()!));

    private static string[] Strings(Node node, string name) =>
        Attribute(node, name).GetProperty("list").TryGetProperty("s", out JsonElement list)
            ? list.EnumerateArray().Select(s => Encoding.UTF8.GetString(System.Convert.FromBase64String(s.GetString()!))).ToArray()
            : [];

    private static long[] Longs(Node node, string name) =>
        Attribute(node, name).GetProperty("list").GetProperty("i").EnumerateArray().Select(i => long.Parse(i.GetString()!)).ToArray();
}
