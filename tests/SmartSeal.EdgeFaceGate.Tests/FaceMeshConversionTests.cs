using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Conversion;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// MediaPipe's face mesh converted from its TensorFlow.js graph model (MODELS.md): the ONNX graph gives
/// TensorFlow.js's own outputs, and the converter refuses what it does not know by name.
/// </summary>
public class FaceMeshConversionTests(ITestOutputHelper output)
{
    private static string ToolFolder => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "tools", "tfjs-graph-reference");

    [Fact]
    public void The_converted_graph_gives_tensorflow_js_outputs_for_a_face_and_for_noise()
    {
        _ = NodeReference.Node(); // fails early, with the fix, when node is missing
        Assert.True(Directory.Exists(Path.Combine(ToolFolder, "node_modules", "@tensorflow", "tfjs-converter")),
            $"{ToolFolder}/node_modules is missing: run scripts/setup.sh (it installs TensorFlow.js there)");
        // Every output, the contours head the landmarker leaves out included.
        TfjsConvertedGraph graph = FaceModels.ConvertFaceMesh(FaceModels.FaceMeshFolder(), FaceModels.DefaultFaceMeshHashFile(), ["output_mesh", "output_faceflag", "output_contours"]);
        Assert.Equal(("input_1", 192, 192, 3), (graph.InputName, graph.Height, graph.Width, graph.Channels));
        Assert.Equal(["output_contours", "output_faceflag", "output_mesh"], graph.Outputs.Select(o => o.Name).Order().ToArray());
        using SessionOptions options = new() { IntraOpNumThreads = 1 };
        using InferenceSession session = new(graph.Model, options);

        string folder = Directory.CreateTempSubdirectory("facemesh-inputs-").FullName;
        try
        {
            // A real face (the whole photo is a tight face crop) and uniform noise in the model's 0..1 range.
            List<float[]> inputs = [FaceInput(Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", "people", "clapton", "clapton-1.jpg"))];
            Random random = new(20);
            inputs.Add(Enumerable.Range(0, 192 * 192 * 3).Select(_ => (float)random.NextDouble()).ToArray());
            string[] files = inputs.Select((_, i) => Path.Combine(folder, $"input{i}.f32")).ToArray();
            for (int i = 0; i < inputs.Count; i++)
            {
                byte[] bytes = new byte[inputs[i].Length * sizeof(float)];
                Buffer.BlockCopy(inputs[i], 0, bytes, 0, bytes.Length);
                File.WriteAllBytes(files[i], bytes);
            }

            string[] lines = NodeReference.Run([Path.Combine(ToolFolder, "run.js"), Path.Combine(FaceModels.FaceMeshFolder(), FaceModels.FaceMeshModelFile), .. files])
                // TensorFlow.js prints a hint about its native backend on stdout; the results are the JSON lines.
                .Where(l => l.StartsWith('{')).ToArray();

            Assert.Equal(inputs.Count, lines.Length);
            for (int i = 0; i < inputs.Count; i++)
            {
                Dictionary<string, float[]> expected = JsonSerializer.Deserialize<Dictionary<string, float[]>>(lines[i])!;
                Dictionary<string, float[]> actual = Run(session, inputs[i], graph.Outputs.Select(o => o.Name).ToArray());
                foreach ((string name, float[] values) in expected)
                {
                    AssertClose($"input {i} {name}", values, actual[name]);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_landmarker_graph_leaves_out_the_contours_head_and_an_unknown_output_is_named()
    {
        TfjsConvertedGraph all = FaceModels.ConvertFaceMesh(FaceModels.FaceMeshFolder(), FaceModels.DefaultFaceMeshHashFile(), ["output_mesh", "output_faceflag", "output_contours"]);
        TfjsConvertedGraph used = FaceModels.ConvertFaceMesh(FaceModels.FaceMeshFolder(), FaceModels.DefaultFaceMeshHashFile());
        output.WriteLine($"ONNX bytes: all outputs {all.Model.Length}, landmarker's {used.Model.Length}");

        Assert.Equal(["output_faceflag", "output_mesh"], used.Outputs.Select(o => o.Name).Order().ToArray());
        Assert.True(used.Model.Length < all.Model.Length * 0.95, $"{used.Model.Length} of {all.Model.Length} bytes");
        FaceModelException ex = Assert.Throws<FaceModelException>(() => FaceModels.ConvertFaceMesh(FaceModels.FaceMeshFolder(), FaceModels.DefaultFaceMeshHashFile(), ["output_iris"]));
        Assert.Contains("no output named output_iris", ex.Message);
    }

    [Fact]
    public void An_operator_the_converter_does_not_know_is_named_in_the_error()
    {
        string folder = Directory.CreateTempSubdirectory("tfjs-graph-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "w.bin"), []);
            string model = Path.Combine(folder, "model.json");
            File.WriteAllText(model, """
                {"format": "graph-model", "signature": {"outputs": {"y": {"name": "y:0"}}},
                 "modelTopology": {"node": [
                   {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "-1"}, {"size": "8"}, {"size": "8"}, {"size": "3"}]}}}},
                   {"name": "y", "op": "Softplus", "input": ["x"]}]},
                 "weightsManifest": [{"paths": ["w.bin"], "weights": []}]}
                """);

            FaceModelException ex = Assert.Throws<FaceModelException>(() => TfjsGraphConverter.Convert(model));

            Assert.Contains("node y: operator Softplus is not supported", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The photo resized to 192x192, RGB in 0..1, NHWC (the model's input).</summary>
    private static float[] FaceInput(string photo)
    {
        using Mat image = Cv2.ImRead(photo);
        using Mat small = new();
        Cv2.Resize(image, small, new Size(192, 192), 0, 0, InterpolationFlags.Area);
        float[] input = new float[192 * 192 * 3];
        for (int y = 0; y < 192; y++)
        {
            for (int x = 0; x < 192; x++)
            {
                Vec3b bgr = small.At<Vec3b>(y, x);
                int o = ((y * 192) + x) * 3;
                (input[o], input[o + 1], input[o + 2]) = (bgr.Item2 / 255f, bgr.Item1 / 255f, bgr.Item0 / 255f);
            }
        }

        return input;
    }

    private static Dictionary<string, float[]> Run(InferenceSession session, float[] input, string[] names)
    {
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, [1, 192, 192, 3]);
        using RunOptions options = new();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["input_1"], [value], names);
        return names.Select((n, i) => (n, outputs[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.n, p => p.Item2);
    }

    private void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{what}: {expected.Length} values up to {expected.Max(Math.Abs):0.000}, largest difference {worst:E2}");
        Assert.True(worst < 1e-3, $"{what}: largest difference {worst:E2}");
    }
}
