using System.Numerics.Tensors;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// Templates of the gate's candidates: each identity has several L2-normalised embeddings, stored
/// in one contiguous row-major block so 1:N is a run of SIMD dot products (cosine = dot).
/// </summary>
public sealed class FaceGallery
{
    private float[] _rows = new float[FaceEmbedder.Dimensions * 64];
    private int[] _owner = new int[64];
    private readonly List<string> _identities = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly QuantizedRows _quantized = new();

    /// <summary>From this many templates on, 1:N first scans the 8-bit copy, then rescores the leaders exactly.</summary>
    public const int QuantizedScanFrom = 4096;

    /// <summary>Identities within this of the approximate best are rescored exactly: above the worst-case 8-bit error (about 0.015 per side for unit vectors).</summary>
    private const float RescoreSlack = 0.03f;

    public int TemplateCount { get; private set; }
    public int IdentityCount => _identities.Count;
    public IReadOnlyList<string> Identities => _identities;

    /// <summary>Adds one template; it is normalised again here, so a caller's unnormalised vector cannot skew scores.</summary>
    public void Add(string identity, ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != FaceEmbedder.Dimensions)
        {
            throw new ArgumentException($"embedding has {embedding.Length} values, expected {FaceEmbedder.Dimensions}");
        }

        if (!_index.TryGetValue(identity, out int owner))
        {
            owner = _identities.Count;
            _identities.Add(identity);
            _index[identity] = owner;
        }

        if (TemplateCount == _owner.Length)
        {
            Array.Resize(ref _owner, _owner.Length * 2);
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        Span<float> row = _rows.AsSpan(TemplateCount * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions);
        embedding.CopyTo(row);
        float norm = TensorPrimitives.Norm(row);
        if (norm > 0)
        {
            TensorPrimitives.Divide(row, norm, row);
        }

        _quantized.Add(row);
        _owner[TemplateCount] = owner;
        TemplateCount++;
    }

    /// <summary>Best and second-best identity (each identity scored by its closest template).</summary>
    public MatchResult Identify(ReadOnlySpan<float> probe, MatchPolicy policy)
    {
        float[] best = TemplateCount >= QuantizedScanFrom ? ScoreQuantizedThenExact(probe) : ScoreExact(probe);

        int first = -1, second = -1;
        for (int i = 0; i < best.Length; i++)
        {
            if (first < 0 || best[i] > best[first])
            {
                second = first;
                first = i;
            }
            else if (second < 0 || best[i] > best[second])
            {
                second = i;
            }
        }

        if (first < 0)
        {
            return new MatchResult(null, null, float.NegativeInfinity, float.NegativeInfinity, MatchOutcome.Unknown);
        }

        float top = best[first];
        float runnerUp = second >= 0 ? best[second] : -1f;
        // Open set: the probe must also be clearly closer to the person than to every stranger of the cohort.
        float cohort = top >= policy.Threshold && policy.Cohort is FaceCohort strangers ? strangers.MaxScore(probe) : float.NaN;
        MatchOutcome outcome = top < policy.Threshold ? MatchOutcome.Unknown
            : top - runnerUp < policy.MinMargin ? MatchOutcome.Ambiguous
            : top - cohort < policy.CohortMargin ? MatchOutcome.LooksLikeStranger
            : MatchOutcome.Match;
        return new MatchResult(_identities[first], second >= 0 ? _identities[second] : null, top, runnerUp, outcome) { CohortScore = cohort };
    }
    private float[] ScoreExact(ReadOnlySpan<float> probe)
    {
        float[] best = new float[_identities.Count];
        Array.Fill(best, float.NegativeInfinity);
        ReadOnlySpan<float> rows = _rows;
        for (int t = 0; t < TemplateCount; t++)
        {
            float score = TensorPrimitives.Dot(probe, rows.Slice(t * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions));
            int owner = _owner[t];
            if (score > best[owner])
            {
                best[owner] = score;
            }
        }

        return best;
    }

    /// <summary>
    /// Approximate per-identity best from the 8-bit scan; identities near the leader get exact float
    /// scores, so the threshold and the margin are decided on exact values. The others keep their
    /// approximate score, which only matters as a runner-up far behind.
    /// </summary>
    private float[] ScoreQuantizedThenExact(ReadOnlySpan<float> probe)
    {
        float[] approx = new float[TemplateCount];
        _quantized.Scores(probe, approx);
        float[] best = new float[_identities.Count];
        Array.Fill(best, float.NegativeInfinity);
        float leader = float.NegativeInfinity;
        for (int t = 0; t < TemplateCount; t++)
        {
            int owner = _owner[t];
            if (approx[t] > best[owner])
            {
                best[owner] = approx[t];
                leader = Math.Max(leader, approx[t]);
            }
        }

        bool[] rescore = new bool[_identities.Count];
        for (int i = 0; i < best.Length; i++)
        {
            if (best[i] >= leader - RescoreSlack)
            {
                rescore[i] = true;
                best[i] = float.NegativeInfinity;
            }
        }

        ReadOnlySpan<float> rows = _rows;
        for (int t = 0; t < TemplateCount; t++)
        {
            int owner = _owner[t];
            if (rescore[owner])
            {
                best[owner] = Math.Max(best[owner], TensorPrimitives.Dot(probe, rows.Slice(t * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions)));
            }
        }

        return best;
    }
}

/// <summary>
/// Cosine threshold (DESIGN.md §8), the lead the best identity needs over the next enrolled one and,
/// with a <see cref="Cohort"/>, over the closest non-enrolled stranger (README "Decision rule").
/// </summary>
public sealed record MatchPolicy(float Threshold = 0.45f, float MinMargin = 0.05f)
{
    public FaceCohort? Cohort { get; init; }

    public float CohortMargin { get; init; } = DefaultCohortMargin;

    /// <summary>Measured on the enlarged evaluation set (README "Evaluation").</summary>
    public const float DefaultCohortMargin = 0.10f;

    /// <summary>
    /// The gate's threshold: where people who are not enrolled (look-alikes included) stop being matched
    /// on the enlarged evaluation set while enrolled people still are (README "Decision rule").
    /// </summary>
    public const float GateThreshold = 0.55f;

    /// <summary>The gate's open-set policy: <see cref="GateThreshold"/> and the bundled cohort (when this build has one).</summary>
    public static MatchPolicy OpenSet => new(GateThreshold) { Cohort = FaceCohort.Bundled };
}

public enum MatchOutcome
{
    Match,
    Unknown,
    Ambiguous,
    /// <summary>Above the threshold, but about as close to a non-enrolled face of the cohort: a look-alike.</summary>
    LooksLikeStranger,
}

/// <summary>Only <see cref="MatchOutcome.Match"/> names a person; <see cref="Identity"/> is the best candidate either way.</summary>
public sealed record MatchResult(string? Identity, string? RunnerUp, float Score, float RunnerUpScore, MatchOutcome Outcome)
{
    public float Margin => Score - RunnerUpScore;

    /// <summary>Closest cohort stranger's cosine (NaN when no cohort was consulted).</summary>
    public float CohortScore { get; init; } = float.NaN;
    public string? MatchedIdentity => Outcome == MatchOutcome.Match ? Identity : null;
}
