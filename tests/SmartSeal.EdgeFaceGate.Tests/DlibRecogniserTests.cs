using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Conversion;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// dlib's recogniser converted from face-api.js's TensorFlow.js weights (MODELS.md): the converted
/// graph gives face-api.js's own descriptors, a wrong weights file is refused, and it tells people apart.
/// </summary>
public class DlibRecogniserTests(ITestOutputHelper output)
{
    /// <summary>A 150x150 RGB chip (dlib's alignment of eval-faces/people/clapton/clapton-1.jpg, OpenFace, Apache-2.0) and face-api.js's descriptor of it.</summary>
    private static string ReferenceFolder => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "tools", "face-api-reference", "reference");

    /// <summary>The repository's licence-clear evaluation photos (eval-faces/SOURCES.md).</summary>
    private static string EvalFace(string relative) => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", relative);

    private static string ToolFolder => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "tools", "face-api-reference");

    [Fact]
    public void The_converted_graph_gives_face_api_js_descriptor_of_the_recorded_chip()
    {
        using InferenceSession session = FaceModels.OpenDlib(FaceModels.DlibFolder(), FaceModels.DefaultDlibHashFile());
        byte[] chip = File.ReadAllBytes(Path.Combine(ReferenceFolder, "clapton-1.rgb"));
        float[] expected = JsonSerializer.Deserialize<float[]>(File.ReadAllText(Path.Combine(ReferenceFolder, "clapton-1.json")))!;

        float[] actual = RawDescriptor(session, chip);

        AssertClose(expected, actual);
    }

    [Fact]
    public void The_converted_graph_gives_face_api_js_descriptors_of_fresh_chips_run_by_node()
    {
        _ = NodeReference.Node(); // fails early, with the fix, when node is missing
        Assert.True(Directory.Exists(Path.Combine(ToolFolder, "node_modules", "face-api.js")),
            $"{ToolFolder}/node_modules is missing: run scripts/setup.sh (it installs face-api.js there)");
        using FaceModels models = FaceModels.LoadDefault(FaceDetectorKind.UltraLight, FaceEmbedderKind.DlibResNet);
        string folder = Directory.CreateTempSubdirectory("dlib-chips-").FullName;
        try
        {
            // Two real chips and one of noise: every layer, the zero paddings included, must agree.
            List<byte[]> chips = [ChipOf(models, "people/lennon/lennon-1.jpg"), ChipOf(models, "people/steve_carell/carell.jpg")];
            Random random = new(20);
            byte[] noise = new byte[150 * 150 * 3];
            random.NextBytes(noise);
            chips.Add(noise);
            string[] files = chips.Select((c, i) => Path.Combine(folder, $"chip{i}.rgb")).ToArray();
            for (int i = 0; i < chips.Count; i++)
            {
                File.WriteAllBytes(files[i], chips[i]);
            }

            string[] lines = NodeReference.Run([Path.Combine(ToolFolder, "descriptor.js"), FaceModels.DlibFolder(), .. files]);

            Assert.Equal(chips.Count, lines.Length);
            for (int i = 0; i < chips.Count; i++)
            {
                AssertClose(JsonSerializer.Deserialize<float[]>(lines[i])!, RawDescriptor(models.DlibEmbedding!, chips[i]));
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Dlib_weights_with_another_hash_are_refused_before_conversion()
    {
        using TamperedModelFolder tampered = new(FaceModels.DlibFolder(), "face_recognition_model.bin", 123_456);

        FaceModelException ex = Assert.Throws<FaceModelException>(() => FaceModels.OpenDlib(tampered.Path, FaceModels.DefaultDlibHashFile()));

        Assert.Contains("face_recognition_model.bin has SHA-256", ex.Message);
        Assert.Contains("expected b413e420", ex.Message);
    }

    [Fact]
    public void A_tfjs_manifest_whose_shards_are_short_or_long_is_refused_with_the_byte_counts()
    {
        string folder = Directory.CreateTempSubdirectory("tfjs-").FullName;
        try
        {
            string manifest = Path.Combine(folder, "m.json");
            File.WriteAllText(manifest, """
                [{"paths": ["w.bin"], "weights": [
                  {"name": "a", "shape": [2, 2], "dtype": "float32"},
                  {"name": "b", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}}]}]
                """);
            byte[] exact = [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f), .. BitConverter.GetBytes(3f), .. BitConverter.GetBytes(4f), 0, 2, 255];

            File.WriteAllBytes(Path.Combine(folder, "w.bin"), exact);
            Dictionary<string, TfjsTensor> weights = TfjsWeights.Read(manifest);
            Assert.Equal([1f, 2f, 3f, 4f], weights["a"].Values);
            Assert.Equal([-1f, 0f, 126.5f], weights["b"].Values);

            File.WriteAllBytes(Path.Combine(folder, "w.bin"), exact[..^1]);
            Assert.Contains("weight b: the shards end before its 3 bytes", Assert.Throws<FaceModelException>(() => TfjsWeights.Read(manifest)).Message);

            File.WriteAllBytes(Path.Combine(folder, "w.bin"), [.. exact, 0]);
            Assert.Contains("the shards hold 20 bytes, the specs describe 19", Assert.Throws<FaceModelException>(() => TfjsWeights.Read(manifest)).Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_dlib_recogniser_matches_one_person_and_separates_two()
    {
        using FaceModels models = FaceModels.LoadDefault(FaceDetectorKind.UltraLight, FaceEmbedderKind.DlibResNet);
        FacePipeline pipeline = new(models);
        Assert.Equal("faceplugin-0.0.1+dlib-resnet-v1/r1", pipeline.Recipe);

        FaceAnalysis clapton1 = Analyse(pipeline, "people/clapton/clapton-1.jpg");
        FaceAnalysis clapton2 = Analyse(pipeline, "people/clapton/clapton-2.jpg");
        FaceAnalysis lennon = Analyse(pipeline, "people/lennon/lennon-1.jpg");
        float same = Distance(clapton1, clapton2), other = Distance(clapton1, lennon);
        output.WriteLine($"dlib distance Clapton~Clapton {same:0.000}, Clapton~Lennon {other:0.000}");

        Assert.Equal(0f, clapton1.Embedding!.Skip(DlibResNetGraph.Dimensions).Max());
        Assert.True(same < DlibFaceEmbedder.SamePersonDistance, $"same person at distance {same:0.000}");
        Assert.True(other > DlibFaceEmbedder.SamePersonDistance, $"two people at distance {other:0.000}");
    }

    private static FaceAnalysis Analyse(FacePipeline pipeline, string photo)
    {
        FaceAnalysis a = pipeline.AnalyseFile(EvalFace(photo), FacePipelineOptions.Gate);
        Assert.True(a.Accepted, $"{photo}: {a.Refusal} {a.Reason}");
        return a;
    }

    private static float Distance(FaceAnalysis a, FaceAnalysis b) => DlibFaceEmbedder.Distance(a.Embedding!, a.EmbeddingNorm, b.Embedding!, b.EmbeddingNorm);

    /// <summary>dlib's 150x150 chip of the photo's face, as row-major RGB bytes (face-api.js's layout).</summary>
    private static byte[] ChipOf(FaceModels models, string photo)
    {
        using Mat image = Cv2.ImRead(EvalFace(photo));
        FaceBox box = new FaceDetector(models.Detector).Detect(image, FaceDetector.GateConfidence)[0];
        Point2f[] points = new LandmarkLocator(models.Landmarks).Locate(image, box);
        using Mat chip = DlibFaceEmbedder.Chip(image, points);
        using Mat rgb = new();
        Cv2.CvtColor(chip, rgb, ColorConversionCodes.BGR2RGB);
        byte[] bytes = new byte[150 * 150 * 3];
        System.Runtime.InteropServices.Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>The graph's unnormalised 128 values for row-major RGB bytes.</summary>
    private static float[] RawDescriptor(InferenceSession session, byte[] rgb)
    {
        const int plane = 150 * 150;
        float[] input = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            input[i] = rgb[3 * i];
            input[plane + i] = rgb[3 * i + 1];
            input[2 * plane + i] = rgb[3 * i + 2];
        }

        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 150, 150]);
        using RunOptions options = new();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, [DlibResNetGraph.InputName], [value], [DlibResNetGraph.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(DlibResNetGraph.Dimensions, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"largest difference {worst:E2} (values up to {expected.Max(Math.Abs):0.000})");
        Assert.True(worst < 1e-4, $"largest difference {worst:E2}");
    }
}
