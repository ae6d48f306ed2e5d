using System.Numerics.Tensors;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// How a recipe's templates are compared (<see cref="FaceRecipe.MetricOf"/>). Both give a score where
/// higher means more alike and 1 means identical, so the gallery, the cohort and <see cref="MatchPolicy"/>
/// work the same way; only the thresholds differ per recipe.
/// </summary>
public enum TemplateMetric
{
    /// <summary>fr_feature: the template is L2-normalised and the score is the cosine (a dot product).</summary>
    Cosine,

    /// <summary>
    /// dlib's recogniser, trained for the euclidean distance d of its unnormalised 128-d descriptors (one
    /// person within 0.6): the template keeps the descriptor as it is, and the score is 1 − d²/2
    /// = p·t − (|p|² + |t|²)/2 + 1, a dot product per row with the lengths cached (equal to the cosine for unit vectors).
    /// </summary>
    DlibDistance,
}

/// <summary>Scores and thresholds of a <see cref="TemplateMetric"/>, for code that compares two templates directly.</summary>
public static class TemplateScores
{
    /// <summary>The score of two templates as the gallery computes it (templates as the recipe stores them).</summary>
    public static float Score(TemplateMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => metric switch
    {
        TemplateMetric.Cosine => TensorPrimitives.CosineSimilarity(a, b),
        _ => 1f - (TensorPrimitives.Distance(a, b) * TensorPrimitives.Distance(a, b) / 2f),
    };

    /// <summary>dlib's distance for a score of <see cref="TemplateMetric.DlibDistance"/>: d = √(2 (1 − s)).</summary>
    public static float DistanceOf(float score) => MathF.Sqrt(Math.Max(0f, 2f * (1f - score)));

    /// <summary>The score of <see cref="TemplateMetric.DlibDistance"/> at dlib's distance <paramref name="distance"/>.</summary>
    public static float ScoreAtDistance(float distance) => 1f - (distance * distance / 2f);

    /// <summary>A score as people read it: "cosine 0.61" or "distance 0.52".</summary>
    public static string Describe(TemplateMetric metric, float score) =>
        metric == TemplateMetric.Cosine ? $"cosine {score:0.00}" : $"distance {DistanceOf(score):0.00}";
}
