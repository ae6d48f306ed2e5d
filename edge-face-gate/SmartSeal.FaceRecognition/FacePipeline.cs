using System.Diagnostics;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>How the pipeline treats a frame.</summary>
public sealed record FacePipelineOptions
{
    /// <summary>Detector confidence: 0.65 at the gate, 0.9 for enrolment photos.</summary>
    public float Confidence { get; init; } = FaceDetector.GateConfidence;

    /// <summary>false (gate default): several faces in the frame is a refusal, so nobody collects behind someone else.</summary>
    public bool AllowSeveralFaces { get; init; }

    public QualityLimits Limits { get; init; } = new();

    public bool ScoreLiveness { get; init; } = true;

    /// <summary>Liveness crop sizes (x the face box); the frame's score is the lowest. One crop costs about 5.5 ms.</summary>
    public IReadOnlyList<float> LivenessScales { get; init; } = [LivenessScorer.CropScale];

    /// <summary>Smallest frame side accepted at all.</summary>
    public int MinImageSide { get; init; } = 32;

    /// <summary>
    /// The gate: liveness is the lowest of the 2.7x and 4.0x crops (a wider crop shows a frame or a cut
    /// edge: FramedPhoto APCER 30 % → 17 %, CutOut 87 % → 75 %, BPCER unchanged; one more crop, 5.5 ms).
    /// </summary>
    public static FacePipelineOptions Gate => new() { LivenessScales = GateLivenessScales };

    public static readonly float[] GateLivenessScales = [LivenessScorer.CropScale, 4.0f];
    public static FacePipelineOptions Enrolment => new() { Confidence = FaceDetector.EnrolmentConfidence, Limits = QualityLimits.Enrolment };
}

/// <summary>
/// Frame → detection → face choice → landmarks → 5-point alignment → quality gates → embedding and
/// liveness (DESIGN.md §8). Sessions and buffers are reused, so one instance serves one thread.
/// </summary>
public sealed class FacePipeline(FaceModels models)
{
    public FaceDetectorKind DetectorKind { get; } = models.DetectorKind;

    /// <summary>The recipe version of the embeddings this pipeline makes (<see cref="FaceRecipe.VersionFor"/>).</summary>
    public string Recipe => FaceRecipe.VersionFor(DetectorKind, EmbedderKind, LandmarkerKind);

    public FaceEmbedderKind EmbedderKind { get; } = models.EmbedderKind;

    public FaceLandmarkerKind LandmarkerKind { get; } = models.LandmarkerKind;

    private readonly IFaceDetector _detector = models.DetectorKind == FaceDetectorKind.YuNet
        ? new YuNetDetector(models.YuNet!)
        : new FaceDetector(models.Detector);
    private readonly IFaceLandmarker _landmarks = models.LandmarkerKind == FaceLandmarkerKind.FaceMesh
        ? new FaceMeshLandmarker(models.FaceMesh!)
        : new LandmarkLocator(models.Landmarks);
    private readonly FaceEmbedder _embedder = new(models.Embedding);
    private readonly DlibFaceEmbedder? _dlib = models.DlibEmbedding is null ? null : new DlibFaceEmbedder(models.DlibEmbedding);
    private readonly LivenessScorer _liveness = new(models.Liveness);

    public FaceAnalysis AnalyseFile(string path, FacePipelineOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            return FaceAnalysis.Refused(FaceRefusal.NotAnImage, $"cannot read {path}: {ex.Message}");
        }

        return AnalyseEncoded(bytes, options);
    }

    /// <summary>An encoded image (JPEG, PNG, ...) as it comes from a file, an upload or a camera snapshot.</summary>
    public FaceAnalysis AnalyseEncoded(byte[] encoded, FacePipelineOptions options)
    {
        long start = Stopwatch.GetTimestamp();
        if (encoded.Length == 0)
        {
            return FaceAnalysis.Refused(FaceRefusal.NotAnImage, "empty image");
        }

        using Mat image = Cv2.ImDecode(encoded, ImreadModes.Color);
        if (image.Empty())
        {
            return FaceAnalysis.Refused(FaceRefusal.NotAnImage, "not a decodable image");
        }

        double decode = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        FaceAnalysis analysis = Analyse(image, options);
        return analysis.Timings is null ? analysis : analysis with { Timings = analysis.Timings with { Decode = decode } };
    }

    /// <summary>A decoded 8-bit BGR frame.</summary>
    public FaceAnalysis Analyse(Mat bgr, FacePipelineOptions options)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            return FaceAnalysis.Refused(FaceRefusal.NotAnImage, "frame is not an 8-bit BGR image");
        }

        if (bgr.Width < options.MinImageSide || bgr.Height < options.MinImageSide)
        {
            return FaceAnalysis.Refused(FaceRefusal.ImageTooSmall, $"image {bgr.Width}x{bgr.Height} is below {options.MinImageSide}x{options.MinImageSide}");
        }

        long t0 = Stopwatch.GetTimestamp();
        List<FaceBox> faces = _detector.Detect(bgr, options.Confidence);
        double detect = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (faces.Count == 0)
        {
            return FaceAnalysis.Refused(FaceRefusal.NoFace, $"no face above confidence {options.Confidence:0.00}");
        }

        if (faces.Count > 1 && !options.AllowSeveralFaces)
        {
            return FaceAnalysis.Refused(FaceRefusal.SeveralFaces, $"{faces.Count} faces in the frame; one person at a time", faces.Count);
        }

        return AnalyseFace(bgr, ChooseFace(faces), faces.Count, options, detect);
    }

    /// <summary>Every detected face on its own (bystanders included): building the cohort of non-enrolled faces from group photos.</summary>
    public List<FaceAnalysis> AnalyseEveryFace(Mat bgr, FacePipelineOptions options)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            return [FaceAnalysis.Refused(FaceRefusal.NotAnImage, "frame is not an 8-bit BGR image")];
        }

        List<FaceBox> faces = _detector.Detect(bgr, options.Confidence);
        return faces.Select(face => AnalyseFace(bgr, face, faces.Count, options, 0)).ToList();
    }

    private FaceAnalysis AnalyseFace(Mat bgr, FaceBox face, int facesFound, FacePipelineOptions options, double detect)
    {
        if (face.Height < options.Limits.MinFaceHeight)
        {
            return FaceAnalysis.Refused(FaceRefusal.FaceTooSmall, $"face is {face.Height:0} px high, needs {options.Limits.MinFaceHeight:0}", facesFound);
        }

        long t1 = Stopwatch.GetTimestamp();
        Point2f[] all = _landmarks.Locate(bgr, face);
        // Aligned on the 68 landmarks whatever the detector: YuNet's own five points were measured
        // worse for this embedder (MODELS.md, "YuNet compared").
        Point2f[] five = LandmarkLocator.FivePoints(all);
        double landmarks = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;

        double roll = QualityGate.RollDegrees(five);
        double yaw = QualityGate.YawRatio(five);
        if (Math.Abs(roll) > options.Limits.MaxRollDegrees || Math.Abs(yaw) > options.Limits.MaxYawRatio)
        {
            return FaceAnalysis.Refused(FaceRefusal.Pose, $"head turned (roll {roll:0}°, yaw ratio {yaw:0.00}); look at the camera", facesFound) with
            { Box = face, FivePoints = five, RollDegrees = roll, YawRatio = yaw };
        }

        long t2 = Stopwatch.GetTimestamp();
        using Mat aligned = FaceAligner.Align(bgr, five);
        double sharpness = QualityGate.Sharpness(aligned);
        double align = Stopwatch.GetElapsedTime(t2).TotalMilliseconds;
        // Exposure before blur: a dark face also has little Laplacian variance, and "too dark" is what to fix.
        (double brightness, double clipped) = options.Limits.MinBrightness > 0 || options.Limits.MaxBrightness < 255 || options.Limits.MaxClipped < 1
            ? QualityGate.Exposure(aligned) : (128, 0);
        if (brightness < options.Limits.MinBrightness || brightness > options.Limits.MaxBrightness || clipped > options.Limits.MaxClipped)
        {
            return FaceAnalysis.Refused(FaceRefusal.Exposure, $"face is {(brightness < options.Limits.MinBrightness ? "too dark" : brightness > options.Limits.MaxBrightness ? "too bright" : "partly black or blown out")} (mean {brightness:0}, needs {options.Limits.MinBrightness:0}..{options.Limits.MaxBrightness:0}; clipped {clipped:P0}, at most {options.Limits.MaxClipped:P0}); retake in even light", facesFound) with
            { Box = face, FivePoints = five, RollDegrees = roll, YawRatio = yaw };
        }

        if (sharpness < options.Limits.MinSharpness)
        {
            return FaceAnalysis.Refused(FaceRefusal.Blurred, $"face is blurred (sharpness {sharpness:0}, needs {options.Limits.MinSharpness:0})", facesFound) with
            { Box = face, FivePoints = five, Sharpness = sharpness, RollDegrees = roll, YawRatio = yaw };
        }

        long t3 = Stopwatch.GetTimestamp();
        (float[] embedding, float norm) = _dlib is null ? (_embedder.Embed(aligned), 1f) : _dlib.Embed(bgr, all);
        double embed = Stopwatch.GetElapsedTime(t3).TotalMilliseconds;

        long t4 = Stopwatch.GetTimestamp();
        float? liveness = options.ScoreLiveness ? _liveness.Score(bgr, face, options.LivenessScales) : null;
        double live = Stopwatch.GetElapsedTime(t4).TotalMilliseconds;

        return new FaceAnalysis
        {
            Refusal = FaceRefusal.None,
            Reason = "ok",
            FacesFound = facesFound,
            Box = face,
            FivePoints = five,
            Embedding = embedding,
            EmbeddingNorm = norm,
            Liveness = liveness,
            EyeOpenness = LandmarkLocator.EyeOpenness(all),
            Landmarks = all,
            Sharpness = sharpness,
            RollDegrees = roll,
            YawRatio = yaw,
            Timings = new StageTimings(0, detect, landmarks, align, embed, live),
        };
    }

    /// <summary>Best score first; scores equal to two decimals are decided by the larger face (nearer the camera).</summary>
    public static FaceBox ChooseFace(List<FaceBox> faces)
    {
        FaceBox best = faces[0];
        foreach (FaceBox face in faces)
        {
            float a = MathF.Round(face.Score, 2), b = MathF.Round(best.Score, 2);
            if (a > b || (a == b && face.Area > best.Area))
            {
                best = face;
            }
        }

        return best;
    }
}
