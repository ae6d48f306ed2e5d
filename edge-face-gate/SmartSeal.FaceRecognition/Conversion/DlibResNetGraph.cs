using static SmartSeal.FaceRecognition.Conversion.OnnxGraphWriter;

namespace SmartSeal.FaceRecognition.Conversion;

/// <summary>
/// Builds the ONNX graph of dlib's face recognition ResNet (dlib_face_recognition_resnet_model_v1, 29
/// conv layers, 150x150 RGB → 128-d) from the weights face-api.js publishes for it
/// (<c>face_recognition_model</c>). The layer order and shapes are facts of face-api.js's network
/// (MODELS.md): input minus the mean RGB (122.782, 117.001, 104.298), divided by 256; a 7x7 stride-2
/// conv and a 3x3 stride-2 max pool; residual blocks of two 3x3 convs (conv → bias → per-channel
/// scale → ReLU; the second without ReLU; add the block's input; ReLU); "down" blocks whose first conv
/// has stride 2 without padding and whose shortcut is a 2x2 average pool, zero-padded to the new
/// channel count, the conv branch getting one zero row and column when the pool is larger; a global
/// average and a 256x128 fully connected layer. Each conv's bias and scale are folded into the conv.
/// </summary>
public static class DlibResNetGraph
{
    public const int InputSize = 150;
    public const int Dimensions = 128;
    public const string InputName = "image";
    public const string OutputName = "descriptor";
    public static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];
    public const float InputScale = 256f;

    private static readonly (string Name, bool Down)[] Blocks =
    [
        ("conv32_1", false), ("conv32_2", false), ("conv32_3", false),
        ("conv64_down", true), ("conv64_1", false), ("conv64_2", false), ("conv64_3", false),
        ("conv128_down", true), ("conv128_1", false), ("conv128_2", false),
        ("conv256_down", true), ("conv256_1", false), ("conv256_2", false), ("conv256_down_out", true),
    ];

    /// <summary>The ONNX model bytes for ONNX Runtime: input "image" [N,3,150,150] RGB 0..255, output "descriptor" [N,128].</summary>
    public static byte[] Build(IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        OnnxGraphWriter g = new();
        g.Input(InputName, -1, 3, InputSize, InputSize);
        string x = g.Node("Sub", [InputName, g.Constant("mean_rgb", MeanRgb, 1, 3, 1, 1)], g.NewName("centred"));
        x = g.Node("Mul", [x, g.Constant("input_scale", [1f / InputScale], 1)], g.NewName("normalised"));

        int size = InputSize;
        x = Conv(g, weights, "conv32_down", x, stride: 2, pad: 0, relu: true, ref size);
        x = g.Node("MaxPool", [x], g.NewName("pool"), Ints("kernel_shape", 3, 3), Ints("strides", 2, 2));
        size = (size - 3) / 2 + 1;

        foreach ((string name, bool down) in Blocks)
        {
            x = down ? ResidualDown(g, weights, name, x, ref size) : Residual(g, weights, name, x, size);
        }

        x = g.Node("ReduceMean", [x], g.NewName("mean"), Ints("axes", 2, 3), Int("keepdims", 0));
        TfjsTensor fc = Get(weights, "fc");
        g.Node("MatMul", [x, g.Constant("fc", fc.Values, fc.Shape[0], fc.Shape[1])], OutputName);
        g.Output(OutputName, -1, fc.Shape[1]);
        return g.ToModel("dlib_face_recognition_resnet_model_v1", "SmartSeal.FaceRecognition DlibResNetGraph");
    }

    private static string Residual(OnnxGraphWriter g, IReadOnlyDictionary<string, TfjsTensor> w, string block, string x, int size)
    {
        int s = size;
        string a = Conv(g, w, block + "/conv1", x, stride: 1, pad: 1, relu: true, ref s);
        string b = Conv(g, w, block + "/conv2", a, stride: 1, pad: 1, relu: false, ref s);
        return g.Node("Relu", [g.Node("Add", [b, x], g.NewName(block + "_sum"))], g.NewName(block));
    }

    private static string ResidualDown(OnnxGraphWriter g, IReadOnlyDictionary<string, TfjsTensor> w, string block, string x, ref int size)
    {
        int inChannels = Get(w, block + "/conv1/conv/filters").Shape[2];
        int outChannels = Get(w, block + "/conv2/conv/filters").Shape[3];
        int s = size;
        string a = Conv(g, w, block + "/conv1", x, stride: 2, pad: 0, relu: true, ref s);
        string b = Conv(g, w, block + "/conv2", a, stride: 1, pad: 1, relu: false, ref s);
        string pooled = g.Node("AveragePool", [x], g.NewName(block + "_pool"), Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        int pooledSize = size / 2;
        if (pooledSize != s)
        {
            // One zero row at the bottom and one zero column at the right of the conv branch.
            b = g.Node("Pad", [b, g.Constant(g.NewName("pads"), [0L, 0, 0, 0, 0, 0, pooledSize - s, pooledSize - s])], g.NewName(block + "_padded"));
        }

        if (outChannels != inChannels)
        {
            pooled = g.Node("Pad", [pooled, g.Constant(g.NewName("pads"), [0L, 0, 0, 0, 0, outChannels - inChannels, 0, 0])], g.NewName(block + "_widened"));
        }

        size = pooledSize;
        return g.Node("Relu", [g.Node("Add", [pooled, b], g.NewName(block + "_sum"))], g.NewName(block));
    }

    /// <summary>conv → + bias → · scale + shift (→ ReLU), as one Conv: W' = W·scale, B' = bias·scale + shift.</summary>
    private static string Conv(OnnxGraphWriter g, IReadOnlyDictionary<string, TfjsTensor> w, string layer, string x, int stride, int pad, bool relu, ref int size)
    {
        TfjsTensor filters = Get(w, layer + "/conv/filters");
        float[] bias = Get(w, layer + "/conv/bias").Values;
        float[] scale = Get(w, layer + "/scale/weights").Values;
        float[] shift = Get(w, layer + "/scale/biases").Values;
        int kh = filters.Shape[0], kw = filters.Shape[1], cin = filters.Shape[2], cout = filters.Shape[3];

        float[] kernel = new float[cout * cin * kh * kw];
        for (int y = 0; y < kh; y++)
            for (int xk = 0; xk < kw; xk++)
                for (int i = 0; i < cin; i++)
                    for (int o = 0; o < cout; o++)
                    {
                        kernel[((o * cin + i) * kh + y) * kw + xk] = filters.Values[((y * kw + xk) * cin + i) * cout + o] * scale[o];
                    }

        float[] folded = new float[cout];
        for (int o = 0; o < cout; o++)
        {
            folded[o] = bias[o] * scale[o] + shift[o];
        }

        string name = layer.Replace('/', '_');
        string output = g.Node("Conv",
            [x, g.Constant(name + "_w", kernel, cout, cin, kh, kw), g.Constant(name + "_b", folded, cout)],
            g.NewName(name),
            Ints("kernel_shape", kh, kw), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad));
        size = (size + 2 * pad - kh) / stride + 1;
        return relu ? g.Node("Relu", [output], g.NewName(name + "_relu")) : output;
    }

    private static TfjsTensor Get(IReadOnlyDictionary<string, TfjsTensor> weights, string name) =>
        weights.TryGetValue(name, out TfjsTensor? t) ? t : throw new FaceModelException($"the face recognition weights have no tensor {name}");
}
