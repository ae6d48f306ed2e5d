using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using SmartSeal.FaceRecognition.Conversion;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// The four ONNX models of the recipe, loaded once from a folder after each file's SHA-256 was
/// checked against edge-face-gate/models.sha256 (a swapped model must not silently change who opens
/// a compartment). One intra-op thread per session: measured faster than two on the gate's cores.
/// </summary>
public sealed class FaceModels : IDisposable
{
    public const string DetectorFile = "fr_detect.onnx";
    public const string LandmarkFile = "fr_landmark.onnx";
    public const string EmbeddingFile = "fr_feature.onnx";
    public const string LivenessFile = "fr_liveness.onnx";

    /// <summary>OpenCV Zoo's YuNet detector, in its own folder with its own hash list (models-yunet.sha256).</summary>
    public const string YuNetFile = "face_detection_yunet_2023mar.onnx";

    /// <summary>dlib's face recogniser as face-api.js's TensorFlow.js weights (models-dlib.sha256), converted to ONNX on load.</summary>
    public const string DlibManifestFile = "face_recognition_model-weights_manifest.json";

    /// <summary>Google MediaPipe's face mesh as a TensorFlow.js graph model (models-facemesh.sha256), converted to ONNX on load.</summary>
    public const string FaceMeshModelFile = "facemesh.json";

    /// <summary>Environment variable that moves the face mesh's folder (setup.sh honours it too).</summary>
    public const string FaceMeshFolderVariable = "SMARTSEAL_FACEMESH_MODELS";

    /// <summary>Environment variable that moves the dlib recogniser's folder (setup.sh honours it too).</summary>
    public const string DlibFolderVariable = "SMARTSEAL_DLIB_MODELS";

    /// <summary>Environment variable that moves the model folder (setup.sh honours it too).</summary>
    public const string FolderVariable = "SMARTSEAL_FACE_MODELS";

    /// <summary>Environment variable that moves the YuNet folder (setup.sh honours it too).</summary>
    public const string YuNetFolderVariable = "SMARTSEAL_YUNET_MODELS";

    public InferenceSession Detector { get; }
    public InferenceSession Landmarks { get; }
    public InferenceSession Embedding { get; }
    public InferenceSession Liveness { get; }

    /// <summary>The detector the pipeline runs; <see cref="YuNet"/> is loaded only for <see cref="FaceDetectorKind.YuNet"/>.</summary>
    public FaceDetectorKind DetectorKind { get; }
    public InferenceSession? YuNet { get; }

    /// <summary>The recogniser the pipeline runs; <see cref="DlibEmbedding"/> is loaded only for <see cref="FaceEmbedderKind.DlibResNet"/>.</summary>
    public FaceEmbedderKind EmbedderKind { get; private init; }
    public InferenceSession? DlibEmbedding { get; private init; }

    /// <summary>The landmark model the pipeline runs; <see cref="FaceMesh"/> is loaded only for <see cref="FaceLandmarkerKind.FaceMesh"/>.</summary>
    public FaceLandmarkerKind LandmarkerKind { get; private init; }
    public InferenceSession? FaceMesh { get; private init; }

    private FaceModels(string folder, FaceDetectorKind detector, string? yuNetFolder)
    {
        Detector = Open(Path.Combine(folder, DetectorFile));
        Landmarks = Open(Path.Combine(folder, LandmarkFile));
        Embedding = Open(Path.Combine(folder, EmbeddingFile));
        Liveness = Open(Path.Combine(folder, LivenessFile));
        DetectorKind = detector;
        YuNet = yuNetFolder is null ? null : Open(Path.Combine(yuNetFolder, YuNetFile));
    }

    /// <summary>Takes over the sessions of <paramref name="other"/> (which must not be disposed afterwards).</summary>
    private FaceModels(FaceModels other)
    {
        Detector = other.Detector;
        Landmarks = other.Landmarks;
        Embedding = other.Embedding;
        Liveness = other.Liveness;
        DetectorKind = other.DetectorKind;
        YuNet = other.YuNet;
        EmbedderKind = other.EmbedderKind;
        DlibEmbedding = other.DlibEmbedding;
    }

    /// <summary>Checks every hash, then opens the sessions; throws <see cref="FaceModelException"/> with the reason.</summary>
    public static FaceModels Load(string folder, string hashFile)
    {
        VerifyHashes(folder, hashFile);
        return new FaceModels(folder, FaceDetectorKind.UltraLight, null);
    }

    /// <summary>Loads from the configured or default folder with the repository's hash list.</summary>
    public static FaceModels LoadDefault() => Load(DefaultFolder(), DefaultHashFile());

    /// <summary>The default models with the chosen detector; YuNet's file is hash-checked like the others.</summary>
    /// <summary>The default models with the chosen detector and recogniser, every file hash-checked first.</summary>
    public static FaceModels LoadDefault(FaceDetectorKind detector, FaceEmbedderKind embedder)
    {
        if (embedder == FaceEmbedderKind.MobileFaceNet)
        {
            return LoadDefault(detector);
        }

        // Checked and converted before the other sessions open, so a bad file leaks nothing.
        InferenceSession dlib = OpenDlib(DlibFolder(), DefaultDlibHashFile());
        try
        {
            FaceModels models = LoadDefault(detector);
            return new FaceModels(models) { EmbedderKind = embedder, DlibEmbedding = dlib };
        }
        catch
        {
            dlib.Dispose();
            throw;
        }
    }

    /// <summary>The default models with the chosen detector, recogniser and landmark model, every file hash-checked first.</summary>
    public static FaceModels LoadDefault(FaceDetectorKind detector, FaceEmbedderKind embedder, FaceLandmarkerKind landmarker)
    {
        if (landmarker == FaceLandmarkerKind.Faceplugin)
        {
            return LoadDefault(detector, embedder);
        }

        InferenceSession mesh = OpenFaceMesh(FaceMeshFolder(), DefaultFaceMeshHashFile());
        try
        {
            FaceModels models = LoadDefault(detector, embedder);
            return new FaceModels(models) { LandmarkerKind = landmarker, FaceMesh = mesh };
        }
        catch
        {
            mesh.Dispose();
            throw;
        }
    }

    /// <summary>Checks the tfjs files against <paramref name="hashFile"/>, converts them (<see cref="DlibResNetGraph"/>) and opens the graph.</summary>
    public static InferenceSession OpenDlib(string folder, string hashFile) =>
        OpenConverted(ConvertDlib(folder, hashFile), $"the converted dlib recogniser from {folder}");

    /// <summary>Checks the face mesh files against <paramref name="hashFile"/>, converts the graph (<see cref="TfjsGraphConverter"/>) and opens it.</summary>
    public static InferenceSession OpenFaceMesh(string folder, string hashFile) =>
        OpenConverted(ConvertFaceMesh(folder, hashFile).Model, $"the converted face mesh from {folder}");

    /// <summary>
    /// The ONNX graph of MediaPipe's face mesh from its hash-checked TensorFlow.js graph model; by default
    /// only the outputs the landmarker reads (the mesh and the face score, not the contours head).
    /// </summary>
    public static TfjsConvertedGraph ConvertFaceMesh(string folder, string hashFile, IReadOnlyCollection<string>? outputs = null)
    {
        VerifyHashes(folder, hashFile);
        return TfjsGraphConverter.Convert(Path.Combine(folder, FaceMeshModelFile), outputs ?? FaceMeshLandmarker.Outputs);
    }

    public static string DefaultFaceMeshHashFile() => Path.Combine(RepositoryRoot(), "edge-face-gate", "models-facemesh.sha256");

    /// <summary>$SMARTSEAL_FACEMESH_MODELS, else .models/human-facemesh in the repository (scripts/setup.sh, MODELS.md).</summary>
    public static string FaceMeshFolder()
    {
        string? configured = Environment.GetEnvironmentVariable(FaceMeshFolderVariable);
        return string.IsNullOrEmpty(configured) ? Path.Combine(RepositoryRoot(), ".models", "human-facemesh") : configured;
    }

    private static InferenceSession OpenConverted(byte[] onnx, string what)
    {
        using SessionOptions options = SingleThreaded();
        try
        {
            return new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new FaceModelException($"{what} could not be loaded: {ex.Message}");
        }
    }

    /// <summary>The ONNX bytes of dlib's recogniser from its hash-checked TensorFlow.js weights.</summary>
    public static byte[] ConvertDlib(string folder, string hashFile)
    {
        VerifyHashes(folder, hashFile);
        return DlibResNetGraph.Build(TfjsWeights.Read(Path.Combine(folder, DlibManifestFile)));
    }

    public static string DefaultDlibHashFile() => Path.Combine(RepositoryRoot(), "edge-face-gate", "models-dlib.sha256");

    /// <summary>$SMARTSEAL_DLIB_MODELS, else .models/face-api-dlib-resnet in the repository (scripts/setup.sh, MODELS.md).</summary>
    public static string DlibFolder()
    {
        string? configured = Environment.GetEnvironmentVariable(DlibFolderVariable);
        return string.IsNullOrEmpty(configured) ? Path.Combine(RepositoryRoot(), ".models", "face-api-dlib-resnet") : configured;
    }

    public static FaceModels LoadDefault(FaceDetectorKind detector)
    {
        if (detector == FaceDetectorKind.UltraLight)
        {
            return LoadDefault();
        }

        return LoadWithYuNet(DefaultFolder(), DefaultHashFile(), YuNetFolder(), DefaultYuNetHashFile());
    }

    /// <summary>The four models plus YuNet as the detector, every file hash-checked first.</summary>
    public static FaceModels LoadWithYuNet(string folder, string hashFile, string yuNetFolder, string yuNetHashFile)
    {
        VerifyHashes(folder, hashFile);
        VerifyHashes(yuNetFolder, yuNetHashFile);
        return new FaceModels(folder, FaceDetectorKind.YuNet, yuNetFolder);
    }

    public static string DefaultYuNetHashFile() => Path.Combine(RepositoryRoot(), "edge-face-gate", "models-yunet.sha256");

    /// <summary>$SMARTSEAL_YUNET_MODELS, else .models/opencv-zoo-yunet in the repository (scripts/setup.sh, MODELS.md).</summary>
    public static string YuNetFolder()
    {
        string? configured = Environment.GetEnvironmentVariable(YuNetFolderVariable);
        return string.IsNullOrEmpty(configured) ? Path.Combine(RepositoryRoot(), ".models", "opencv-zoo-yunet") : configured;
    }

    public static void VerifyHashes(string folder, string hashFile)
    {
        if (!File.Exists(hashFile))
        {
            throw new FaceModelException($"model hash list {hashFile} is missing");
        }

        foreach (string line in File.ReadAllLines(hashFile))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            string path = Path.Combine(folder, parts[1]);
            if (!File.Exists(path))
            {
                throw new FaceModelException($"face model {path} is missing (run scripts/setup.sh or set {FolderVariable} / {YuNetFolderVariable}; MODELS.md says where each file comes from)");
            }

            string actual;
            using (FileStream stream = File.OpenRead(path))
            {
                actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            if (!string.Equals(actual, parts[0], StringComparison.OrdinalIgnoreCase))
            {
                throw new FaceModelException($"face model {path} has SHA-256 {actual}, expected {parts[0]}");
            }
        }
    }

    /// <summary>$SMARTSEAL_FACE_MODELS, else .models/faceplugin-face-recognition-js-0.0.1 in the repository.</summary>
    public static string DefaultFolder()
    {
        string? configured = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return Path.Combine(RepositoryRoot(), ".models", "faceplugin-face-recognition-js-0.0.1");
    }

    public static string DefaultHashFile() => Path.Combine(RepositoryRoot(), "edge-face-gate", "models.sha256");

    /// <summary>The nearest folder above the program (or the working directory) holding SmartSeal.sln.</summary>
    public static string RepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SmartSeal.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static SessionOptions SingleThreaded() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private static InferenceSession Open(string path)
    {
        using SessionOptions options = SingleThreaded();
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new FaceModelException($"face model {path} could not be loaded: {ex.Message}");
        }
    }

    public void Dispose()
    {
        Detector.Dispose();
        Landmarks.Dispose();
        Embedding.Dispose();
        Liveness.Dispose();
        YuNet?.Dispose();
        DlibEmbedding?.Dispose();
        FaceMesh?.Dispose();
    }
}

/// <summary>A model file is missing, has the wrong hash or does not load: the gate must not run.</summary>
public sealed class FaceModelException(string message) : Exception(message);
