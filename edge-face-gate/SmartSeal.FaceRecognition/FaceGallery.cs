using System.Numerics.Tensors;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// Templates of the gate's candidates: each identity has several templates, stored in one contiguous
/// row-major block so 1:N is a run of SIMD dot products. Scores follow the recipe's
/// <see cref="TemplateMetric"/>: cosine of L2-normalised rows, or dlib's 1 − d²/2 from the unnormalised
/// rows and their cached half squared lengths (still one dot product per row).
/// </summary>
public sealed class FaceGallery
{
    private float[] _rows = new float[FaceEmbedder.Dimensions * 64];
    private float[] _halfSquare = new float[64];
    private int[] _owner = new int[64];
    private int[] _templatesOf = new int[8];
    private readonly List<string> _identities = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly QuantizedRows _quantized = new();
    private float _maxLength;

    /// <summary>From this many templates on, 1:N first scans the 8-bit copy, then rescores the leaders exactly.</summary>
    public const int QuantizedScanFrom = 4096;

    /// <summary>
    /// Identities within this of the approximate best, times |probe|·(longest row), are rescored exactly:
    /// twice the worst 8-bit error (about ±0.015 for 512-d unit vectors; for dlib's 128 values at most 0.003
    /// per unit of |p||t| on heavy-tailed test descriptors, tests "The_8_bit_error_of_dlib_descriptors…").
    /// </summary>
    public const float RescoreSlack = 0.03f;

    /// <summary>A gallery for the running recipe (<see cref="FaceRecipe.Version"/>).</summary>
    public FaceGallery() : this(FaceRecipe.MetricOf(FaceRecipe.Version))
    {
    }

    public FaceGallery(TemplateMetric metric) => Metric = metric;

    public TemplateMetric Metric { get; }
    public int TemplateCount { get; private set; }
    public int IdentityCount => _identities.Count;
    public IReadOnlyList<string> Identities => _identities;

    /// <summary>
    /// Adds one template. For cosine it is normalised again here, so a caller's unnormalised vector cannot
    /// skew scores; for dlib's distance its length is the information and is kept.
    /// </summary>
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
            if (owner == _templatesOf.Length)
            {
                Array.Resize(ref _templatesOf, _templatesOf.Length * 2);
            }
        }

        if (TemplateCount == _owner.Length)
        {
            Array.Resize(ref _owner, _owner.Length * 2);
            Array.Resize(ref _halfSquare, _halfSquare.Length * 2);
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        Span<float> row = _rows.AsSpan(TemplateCount * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions);
        embedding.CopyTo(row);
        float norm = TensorPrimitives.Norm(row);
        if (Metric == TemplateMetric.Cosine && norm > 0)
        {
            TensorPrimitives.Divide(row, norm, row);
            norm = 1;
        }

        _halfSquare[TemplateCount] = norm * norm / 2;
        _maxLength = Math.Max(_maxLength, norm);
        _quantized.Add(row);
        _owner[TemplateCount] = owner;
        _templatesOf[owner]++;
        TemplateCount++;
    }

    /// <summary>Best and second-best identity (each identity scored by <see cref="MatchPolicy.PersonScore"/> over its templates).</summary>
    public MatchResult Identify(ReadOnlySpan<float> probe, MatchPolicy policy)
    {
        if (policy.Cohort is { } c && c.Metric != Metric)
        {
            throw new ArgumentException($"the cohort is of recipe {c.Recipe} ({c.Metric}), this gallery scores by {Metric}");
        }

        float[] best = TemplateCount >= QuantizedScanFrom ? ScoreQuantizedThenExact(probe, policy.PersonScore) : ScoreExact(probe, policy.PersonScore);

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

    /// <summary>Half the probe's squared length, subtracted with the row's for dlib's 1 − d²/2; unused for cosine.</summary>
    private float ProbeHalfSquare(ReadOnlySpan<float> probe)
    {
        float norm = TensorPrimitives.Norm(probe);
        return norm * norm / 2;
    }

    /// <summary>The score of row <paramref name="t"/> from its dot product with the probe.</summary>
    private float RowScore(float dot, int t, float probeHalfSquare) =>
        Metric == TemplateMetric.Cosine ? dot : dot - probeHalfSquare - _halfSquare[t] + 1f;

    private float[] ScoreExact(ReadOnlySpan<float> probe, PersonScore rule)
    {
        float probeHalf = ProbeHalfSquare(probe);
        PersonScores scores = new(_identities.Count, rule);
        ReadOnlySpan<float> rows = _rows;
        for (int t = 0; t < TemplateCount; t++)
        {
            scores.Add(_owner[t], RowScore(TensorPrimitives.Dot(probe, rows.Slice(t * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions)), t, probeHalf));
        }

        return scores.Result(_templatesOf);
    }

    /// <summary>
    /// Approximate per-identity scores from the 8-bit scan; identities near the leader get exact float
    /// scores, so the threshold and the margin are decided on exact values. The others keep their
    /// approximate score, which only matters as a runner-up far behind.
    /// </summary>
    private float[] ScoreQuantizedThenExact(ReadOnlySpan<float> probe, PersonScore rule)
    {
        float probeHalf = ProbeHalfSquare(probe);
        float[] approx = new float[TemplateCount];
        _quantized.Scores(probe, approx);
        PersonScores approximate = new(_identities.Count, rule);
        for (int t = 0; t < TemplateCount; t++)
        {
            approximate.Add(_owner[t], RowScore(approx[t], t, probeHalf));
        }

        float[] best = approximate.Result(_templatesOf);
        float leader = best.Length == 0 ? float.NegativeInfinity : TensorPrimitives.Max(best);
        // The 8-bit error of a dot grows with both lengths (1 for cosine's unit rows).
        float slack = RescoreSlack * TensorPrimitives.Norm(probe) * (Metric == TemplateMetric.Cosine ? 1f : _maxLength);
        bool[] rescore = new bool[_identities.Count];
        for (int i = 0; i < best.Length; i++)
        {
            rescore[i] = best[i] >= leader - slack;
        }

        PersonScores exact = new(_identities.Count, rule);
        ReadOnlySpan<float> rows = _rows;
        for (int t = 0; t < TemplateCount; t++)
        {
            int owner = _owner[t];
            if (rescore[owner])
            {
                exact.Add(owner, RowScore(TensorPrimitives.Dot(probe, rows.Slice(t * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions)), t, probeHalf));
            }
        }

        float[] rescored = exact.Result(_templatesOf);
        for (int i = 0; i < best.Length; i++)
        {
            if (rescore[i])
            {
                best[i] = rescored[i];
            }
        }

        return best;
    }

    /// <summary>Per-identity best or sum of template scores; the mean divides by the identity's template count.</summary>
    private readonly struct PersonScores
    {
        private readonly float[] _values;
        private readonly PersonScore _rule;

        public PersonScores(int identities, PersonScore rule)
        {
            _rule = rule;
            _values = new float[identities];
            Array.Fill(_values, rule == PersonScore.BestTemplate ? float.NegativeInfinity : 0f);
        }

        public void Add(int owner, float score)
        {
            if (_rule == PersonScore.BestTemplate)
            {
                _values[owner] = Math.Max(_values[owner], score);
            }
            else
            {
                _values[owner] += score;
            }
        }

        public float[] Result(int[] templatesOf)
        {
            if (_rule == PersonScore.MeanOfTemplates)
            {
                for (int i = 0; i < _values.Length; i++)
                {
                    _values[i] /= templatesOf[i];
                }
            }

            return _values;
        }
    }
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

    /// <summary>Closest cohort stranger's score (NaN when no cohort was consulted).</summary>
    public float CohortScore { get; init; } = float.NaN;
    public string? MatchedIdentity => Outcome == MatchOutcome.Match ? Identity : null;
}
