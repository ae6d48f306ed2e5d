using SmartSeal.FaceRecognition;
using static SmartSeal.EdgeFaceGate.Evaluation;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// dlib's recogniser scored with its own metric: the euclidean distance of unnormalised descriptors
/// (trained so one person's faces lie within 0.6). Pairs, the held-out split, the hardest impostor
/// pairs. The identity level (closed and open set) is measured through the gallery, which scores
/// dlib's recipes by this distance too (<see cref="TemplateMetric.DlibDistance"/>, Evaluation's sweep).
/// </summary>
public static class DlibMetricEvaluation
{
    /// <summary>Minus dlib's distance, so higher means more alike as with cosine.</summary>
    public static float NegativeDistance(EvaluationSample a, EvaluationSample b) =>
        -DlibFaceEmbedder.Distance(a.Embedding, a.EmbeddingNorm, b.Embedding, b.EmbeddingNorm);

    public static (List<float> Genuine, List<float> Impostor) Run(List<EvaluationSample> samples, TextWriter output)
    {
        (List<float> genuine, List<float> impostor) = Pairs(samples, NegativeDistance);
        output.WriteLine($"dlib metric (euclidean distance of unnormalised descriptors): genuine {-Mean(genuine):0.000} ± {Sd(genuine):0.000} (max {-genuine.Min():0.000}), impostor {-Mean(impostor):0.000} ± {Sd(impostor):0.000} (min {-impostor.Max():0.000})");
        List<float> lengths = samples.Select(s => s.EmbeddingNorm).ToList();
        output.WriteLine($"dlib descriptor lengths (the template keeps them): {Mean(lengths):0.000} ± {Sd(lengths):0.000}, {lengths.Min():0.000}..{lengths.Max():0.000}");
        float limit = -DlibFaceEmbedder.SamePersonDistance;
        output.WriteLine($"dlib metric at its threshold {DlibFaceEmbedder.SamePersonDistance:0.00}: FAR {Percent(impostor.Count(v => v >= limit), impostor.Count)} ({impostor.Count(v => v >= limit)}/{impostor.Count}), FRR {Percent(genuine.Count(v => v < limit), genuine.Count)} ({genuine.Count(v => v < limit)}/{genuine.Count})");
        float at1 = ThresholdForFrr(genuine, 0.01);
        output.WriteLine($"dlib metric, distance for FRR ≤ 1 %: {-at1:0.000} → FAR {Percent(impostor.Count(v => v >= at1), impostor.Count)} ({impostor.Count(v => v >= at1)}/{impostor.Count})");
        output.WriteLine("dlib metric, held-out split (thresholds are minus the distance):");
        HeldOutThreshold(samples, NegativeDistance, output);

        output.WriteLine("dlib metric, hardest impostor pairs (distance):");
        List<(float D, int A, int B)> hardest = [];
        for (int i = 0; i < samples.Count; i++)
        {
            for (int j = i + 1; j < samples.Count; j++)
            {
                if (samples[i].Identity != samples[j].Identity)
                {
                    hardest.Add((-NegativeDistance(samples[i], samples[j]), i, j));
                }
            }
        }

        foreach ((float d, int a, int b) in hardest.OrderBy(h => h.D).Take(6))
        {
            output.WriteLine($"  {d:0.000}  {samples[a].File}  ~  {samples[b].File}");
        }

        return (genuine, impostor);
    }
}
