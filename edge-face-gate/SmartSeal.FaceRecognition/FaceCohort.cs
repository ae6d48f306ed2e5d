using System.Numerics.Tensors;
using System.Text;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// Embeddings of faces that are not enrolled anywhere (strangers from public group photos, see
/// edge-face-gate/COHORT.md), bundled with the gate. A probe that is about as close to some stranger
/// as to the enrolled person it resembles is a look-alike, not that person: <see cref="MatchPolicy.CohortMargin"/>.
/// Rows and scores follow the recipe's <see cref="TemplateMetric"/> like <see cref="FaceGallery"/>'s: a
/// cohort of dlib's recipe keeps the unnormalised descriptors (file format 2; a format-1 file of such a
/// recipe held unit vectors without their lengths and is refused).
/// </summary>
public sealed class FaceCohort
{
    /// <summary>Unit rows (cosine recipes; the committed cohort.bin of fr_feature stays byte for byte).</summary>
    private const string Magic = "SSCOHORT1";

    /// <summary>Rows as the recipe's gallery stores them, unnormalised for dlib's distance.</summary>
    private const string MagicWithLengths = "SSCOHORT2";
    private const string ResourceName = "SmartSeal.FaceRecognition.cohort.bin";
    private static readonly Lazy<FaceCohort?> BundledCohort = new(LoadBundled);
    private readonly float[] _rows;
    private readonly float[] _halfSquare;

    /// <param name="embeddings">Templates as the recipe's gallery takes them (<see cref="FaceAnalysis.Template"/>).</param>
    public FaceCohort(IReadOnlyList<float[]> embeddings, string recipe)
    {
        Recipe = recipe;
        Metric = FaceRecipe.MetricOf(recipe);
        Count = embeddings.Count;
        _rows = new float[Count * FaceEmbedder.Dimensions];
        _halfSquare = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            if (embeddings[i].Length != FaceEmbedder.Dimensions)
            {
                throw new ArgumentException($"cohort embedding {i} has {embeddings[i].Length} values, expected {FaceEmbedder.Dimensions}");
            }

            Span<float> row = _rows.AsSpan(i * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions);
            embeddings[i].CopyTo(row);
            float norm = TensorPrimitives.Norm(row);
            if (Metric == TemplateMetric.Cosine && norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
                norm = 1;
            }

            _halfSquare[i] = norm * norm / 2;
        }
    }

    public TemplateMetric Metric { get; }

    public int Count { get; }

    /// <summary>The <see cref="FaceRecipe.Version"/> the embeddings were made with; another recipe's cohort is meaningless.</summary>
    public string Recipe { get; }

    /// <summary>The cohort compiled into this library, or null when it was built without one or for another recipe.</summary>
    public static FaceCohort? Bundled => BundledCohort.Value;

    /// <summary>Highest score (cosine, or dlib's 1 − d²/2) of the probe against any cohort face (−1 for an empty cohort).</summary>
    public float MaxScore(ReadOnlySpan<float> probe)
    {
        float best = -1f;
        float probeNorm = TensorPrimitives.Norm(probe);
        float probeHalf = Metric == TemplateMetric.Cosine ? 0f : probeNorm * probeNorm / 2;
        ReadOnlySpan<float> rows = _rows;
        for (int i = 0; i < Count; i++)
        {
            float dot = TensorPrimitives.Dot(probe, rows.Slice(i * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions));
            best = Math.Max(best, Metric == TemplateMetric.Cosine ? dot : dot - probeHalf - _halfSquare[i] + 1f);
        }

        return best;
    }

    public float[] Row(int index) => _rows.AsSpan(index * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions).ToArray();

    public void Save(Stream stream)
    {
        using BinaryWriter writer = new(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Metric == TemplateMetric.Cosine ? Magic : MagicWithLengths);
        writer.Write(Recipe);
        writer.Write(Count);
        foreach (float value in _rows)
        {
            writer.Write(value);
        }
    }

    public static FaceCohort Load(Stream stream)
    {
        using BinaryReader reader = new(stream, Encoding.UTF8, leaveOpen: true);
        string magic = reader.ReadString();
        if (magic != Magic && magic != MagicWithLengths)
        {
            throw new InvalidDataException("not a face cohort file");
        }

        string recipe = reader.ReadString();
        if ((magic == Magic) != (FaceRecipe.MetricOf(recipe) == TemplateMetric.Cosine))
        {
            throw new InvalidDataException(magic == Magic
                ? $"cohort of recipe {recipe} holds unit vectors without the descriptor lengths its distance needs: rebuild it with build-cohort"
                : $"cohort of recipe {recipe} claims descriptor lengths, but that recipe scores by cosine");
        }

        int count = reader.ReadInt32();
        if (count is < 0 or > 1_000_000)
        {
            throw new InvalidDataException($"cohort size {count} is not plausible");
        }

        List<float[]> rows = new(count);
        for (int i = 0; i < count; i++)
        {
            float[] row = new float[FaceEmbedder.Dimensions];
            for (int d = 0; d < row.Length; d++)
            {
                row[d] = reader.ReadSingle();
            }

            rows.Add(row);
        }

        return new FaceCohort(rows, recipe);
    }

    private static FaceCohort? LoadBundled()
    {
        using Stream? stream = typeof(FaceCohort).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return null;
        }

        FaceCohort cohort = Load(stream);
        return cohort.Recipe == FaceRecipe.Version ? cohort : null;
    }
}
