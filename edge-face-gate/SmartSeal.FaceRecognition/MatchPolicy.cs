namespace SmartSeal.FaceRecognition;

/// <summary>
/// The score a match needs (DESIGN.md §8), the lead the best identity needs over the next enrolled one
/// and, with a <see cref="Cohort"/>, over the closest non-enrolled stranger (README "Decision rule").
/// Scores are in the recipe's <see cref="TemplateMetric"/>: cosine, or 1 − d²/2 for dlib's distance d;
/// <see cref="For"/> and <see cref="OpenSetFor"/> give each recipe its own numbers.
/// </summary>
public sealed record MatchPolicy(float Threshold = 0.45f, float MinMargin = 0.05f)
{
    public FaceCohort? Cohort { get; init; }

    public float CohortMargin { get; init; } = DefaultCohortMargin;

    /// <summary>How a person's several enrolment templates make one score (best of them by default).</summary>
    public PersonScore PersonScore { get; init; } = PersonScore.BestTemplate;

    /// <summary>Measured on the enlarged evaluation set (README "Evaluation").</summary>
    public const float DefaultCohortMargin = 0.10f;

    /// <summary>
    /// The gate's threshold: the middle of the plateau 0.52–0.54 where none of 3,207 probes of people who
    /// are not enrolled (look-alikes included) is matched and one of 138 enrolled photos is missed; at 0.55
    /// three were missed (README "Decision rule").
    /// </summary>
    public const float GateThreshold = 0.53f;

    /// <summary>dlib's own same-person distance (0.6) as a score: the library default and the cloud's enrolment check for dlib's recipes.</summary>
    public static readonly float DlibThreshold = TemplateScores.ScoreAtDistance(0.60f);

    /// <summary>The gate's dlib threshold: distance 0.50, the largest at which no held-out stranger was matched (MODELS.md, "dlib at identity level").</summary>
    public static readonly float DlibGateThreshold = TemplateScores.ScoreAtDistance(0.50f);

    /// <summary>dlib's lead over the next enrolled person and over the cohort, in score units (about 0.09 in distance near 0.5; 0.015 and 0.03 let more strangers through, MODELS.md).</summary>
    public const float DlibMargin = 0.045f;

    /// <summary>The gate's open-set policy for the running recipe.</summary>
    public static MatchPolicy OpenSet => OpenSetFor(FaceRecipe.Version);

    /// <summary>The library default for <paramref name="recipe"/>: cosine 0.45, or dlib's own distance 0.6.</summary>
    public static MatchPolicy For(string recipe) => FaceRecipe.MetricOf(recipe) == TemplateMetric.Cosine
        ? new MatchPolicy()
        : new MatchPolicy(DlibThreshold, DlibMargin) { CohortMargin = DlibMargin };

    /// <summary>The gate's open-set policy for <paramref name="recipe"/>, with the bundled cohort when it is of that recipe.</summary>
    public static MatchPolicy OpenSetFor(string recipe)
    {
        FaceCohort? cohort = FaceCohort.Bundled is { } bundled && bundled.Recipe == recipe ? bundled : null;
        return FaceRecipe.MetricOf(recipe) == TemplateMetric.Cosine
            ? new MatchPolicy(GateThreshold) { Cohort = cohort }
            : new MatchPolicy(DlibGateThreshold, DlibMargin) { CohortMargin = DlibMargin, Cohort = cohort };
    }
}

/// <summary>How <see cref="FaceGallery"/> scores a person with several templates.</summary>
public enum PersonScore
{
    /// <summary>The closest of the person's templates.</summary>
    BestTemplate,

    /// <summary>The mean of the scores against all of the person's templates.</summary>
    MeanOfTemplates,
}
