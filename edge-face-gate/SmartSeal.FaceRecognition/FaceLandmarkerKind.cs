namespace SmartSeal.FaceRecognition;

/// <summary>Which landmark model a <see cref="FaceModels"/> set runs (MODELS.md compares them).</summary>
public enum FaceLandmarkerKind
{
    /// <summary>fr_landmark.onnx, 68 points from a 64x64 gray crop. Origin unverified (MODELS.md).</summary>
    Faceplugin,

    /// <summary>Google MediaPipe's face mesh (Apache-2.0), 468 points from a 192x192 RGB crop, reduced to the 68-point layout.</summary>
    FaceMesh,
}
