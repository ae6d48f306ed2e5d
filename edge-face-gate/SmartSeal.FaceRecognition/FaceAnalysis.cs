using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>Milliseconds spent in each stage for one frame.</summary>
public sealed record StageTimings(double Decode, double Detect, double Landmarks, double Align, double Embed, double Liveness)
{
    public double Total => Decode + Detect + Landmarks + Align + Embed + Liveness;
}

/// <summary>
/// The outcome for one frame: either a refusal with a human-readable reason, or the chosen face with
/// its L2-normalised embedding, liveness and quality measures.
/// </summary>
public sealed record FaceAnalysis
{
    public required FaceRefusal Refusal { get; init; }
    public required string Reason { get; init; }
    public int FacesFound { get; init; }
    public FaceBox? Box { get; init; }
    public Point2f[]? FivePoints { get; init; }
    public float[]? Embedding { get; init; }

    /// <summary>
    /// The recogniser's output length before L2 normalisation (1 for fr_feature). dlib's recogniser is
    /// trained for the euclidean distance of unnormalised descriptors: Embedding·EmbeddingNorm restores them.
    /// </summary>
    public float EmbeddingNorm { get; init; } = 1;

    /// <summary>
    /// What a gallery, a cohort and the cloud store and match for this face (<see cref="FaceRecipe.MetricOf"/>):
    /// the embedding times <see cref="EmbeddingNorm"/>, i.e. fr_feature's unit vector as it is and dlib's
    /// descriptor as the recogniser gave it (a new array each time).
    /// </summary>
    public float[]? Template => Embedding is null ? null : EmbeddingNorm == 1 ? Embedding : Scaled(Embedding, EmbeddingNorm);

    private static float[] Scaled(float[] vector, float factor)
    {
        float[] scaled = new float[vector.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(vector, factor, scaled);
        return scaled;
    }
    /// <summary>Liveness model score (0..1, live); null when the options turned it off.</summary>
    public float? Liveness { get; init; }

    /// <summary>Eye aspect ratio from the 68 landmarks (<see cref="LandmarkLocator.EyeOpenness"/>).</summary>
    public double? EyeOpenness { get; init; }

    /// <summary>The 68 landmarks in frame pixels (the motion cue over a burst of frames reads them: <see cref="PlanarMotion"/>).</summary>
    public Point2f[]? Landmarks { get; init; }
    public double? Sharpness { get; init; }
    public double? RollDegrees { get; init; }
    public double? YawRatio { get; init; }
    public StageTimings? Timings { get; init; }

    public bool Accepted => Refusal == FaceRefusal.None;

    public static FaceAnalysis Refused(FaceRefusal refusal, string reason, int facesFound = 0) =>
        new() { Refusal = refusal, Reason = reason, FacesFound = facesFound };
}
