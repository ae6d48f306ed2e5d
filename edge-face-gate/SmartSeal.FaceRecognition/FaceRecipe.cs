namespace SmartSeal.FaceRecognition;

/// <summary>
/// The version of everything that shapes a template: the model files (models.sha256) and the
/// preprocessing recipe (DESIGN.md §8). Templates carry it; a gate ignores templates of another
/// version and the cloud asks for re-enrolment, because embeddings of two recipes are not comparable.
/// Change it whenever a model hash or a preprocessing step changes.
/// </summary>
public static class FaceRecipe
{
    public const string Version = "faceplugin-0.0.1/r1";

    /// <summary>The recipe with another detector: the box moves the landmark crop, so embeddings differ slightly.</summary>
    public static string VersionFor(FaceDetectorKind detector) =>
        detector == FaceDetectorKind.YuNet ? "faceplugin-0.0.1+yunet-2023mar/r1" : Version;

    /// <summary>The recipe with another recogniser too: dlib's 128-d descriptors are not comparable with fr_feature's.</summary>
    public static string VersionFor(FaceDetectorKind detector, FaceEmbedderKind embedder) =>
        embedder == FaceEmbedderKind.DlibResNet
            ? (detector == FaceDetectorKind.YuNet ? "faceplugin-0.0.1+yunet-2023mar+dlib-resnet-v1/r1" : "faceplugin-0.0.1+dlib-resnet-v1/r1")
            : VersionFor(detector);

    /// <summary>
    /// The recipe with another landmark model too: the landmarks place the alignment, so embeddings
    /// differ. fr_landmark keeps the strings above; the face mesh appends "+facemesh".
    /// </summary>
    public static string VersionFor(FaceDetectorKind detector, FaceEmbedderKind embedder, FaceLandmarkerKind landmarker)
    {
        string version = VersionFor(detector, embedder);
        return landmarker == FaceLandmarkerKind.FaceMesh ? version.Replace("/r1", "+facemesh/r1", StringComparison.Ordinal) : version;
    }

    /// <summary>How templates of <paramref name="recipe"/> are compared: dlib's recogniser by its own distance, the others by cosine.</summary>
    public static TemplateMetric MetricOf(string recipe) =>
        recipe.Contains("+dlib-resnet-v1", StringComparison.Ordinal) ? TemplateMetric.DlibDistance : TemplateMetric.Cosine;
}
