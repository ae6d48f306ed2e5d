using SmartSeal.FaceRecognition;
using static SmartSeal.EdgeFaceGate.Evaluation;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// dlib's recogniser scored with its own metric: the euclidean distance of unnormalised descriptors
/// (trained so one person's faces lie within 0.6). Pairs, the held-out split, the hardest impostor
/// pairs and an identity-level sweep (closed set leave-one-photo-out, open set leave-one-person-out),
/// computed here because the gallery scores by cosine (MODELS.md, "dlib recogniser compared").
/// </summary>
public static class DlibMetricEvaluation
{
    /// <summary>Lead over the next enrolled person, in distance, for the identity-level rule.</summary>
    public const float MinLead = 0.05f;

    /// <summary>Minus dlib's distance, so higher means more alike as with cosine.</summary>
    public static float NegativeDistance(EvaluationSample a, EvaluationSample b) =>
        -DlibFaceEmbedder.Distance(a.Embedding, a.EmbeddingNorm, b.Embedding, b.EmbeddingNorm);

    /// <param name="strangers">Held-out non-enrolled faces, probed against everybody in the open set (may be empty).</param>
    /// <param name="cohort">Non-enrolled faces a match must be clearly farther from than from the person (may be empty).</param>
    public static (List<float> Genuine, List<float> Impostor) Run(List<EvaluationSample> samples, List<EvaluationSample> strangers, List<EvaluationSample> cohort, TextWriter output)
    {
        (List<float> genuine, List<float> impostor) = Pairs(samples, NegativeDistance);
        output.WriteLine($"dlib metric (euclidean distance of unnormalised descriptors): genuine {-Mean(genuine):0.000} ± {Sd(genuine):0.000} (max {-genuine.Min():0.000}), impostor {-Mean(impostor):0.000} ± {Sd(impostor):0.000} (min {-impostor.Max():0.000})");
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

        output.WriteLine($"dlib metric, identity level (best template per person; lead over the next person ≥ {MinLead:0.00}): closed-set FRR / wrong person / open-set FAR (each person left out in turn, plus {strangers.Count} held-out strangers against everybody{(strangers.Count == 0 ? ": none, use --strangers-from; stored strangers lack the descriptor length" : "")})");
        for (float t = 0.50f; t <= 0.641f; t += 0.02f)
        {
            output.WriteLine($"  distance ≤ {t:0.00}: {IdentityLevel(samples, strangers, [], t)}" +
                (cohort.Count > 0 ? $"   with the cohort rule ({cohort.Count} faces, lead ≥ {MinLead:0.00}): {IdentityLevel(samples, strangers, cohort, t)}" : ""));
        }

        const float shown = 0.56f;
        foreach (EvaluationSample probe in samples.Concat(strangers))
        {
            string? matched = Decide(samples, cohort, probe, j => samples[j].Identity != probe.Identity && !ReferenceEquals(samples[j], probe), shown);
            if (matched is not null)
            {
                output.WriteLine($"  false accept at distance ≤ {shown:0.00}{(cohort.Count > 0 ? " with the cohort rule" : "")}: {probe.File} → {matched}");
            }
        }

        return (genuine, impostor);
    }

    private static string IdentityLevel(List<EvaluationSample> samples, List<EvaluationSample> strangers, List<EvaluationSample> cohort, float threshold)
    {
        int closedProbes = 0, missed = 0, wrong = 0, openProbes = 0, falseAccepts = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            EvaluationSample probe = samples[i];
            // Closed set: every other photo is enrolled.
            if (samples.Where((s, j) => j != i).Any(s => s.Identity == probe.Identity))
            {
                closedProbes++;
                string? matched = Decide(samples, cohort, probe, j => j != i, threshold);
                missed += matched == probe.Identity ? 0 : 1;
                wrong += matched is not null && matched != probe.Identity ? 1 : 0;
            }

            // Open set: the probe's own person is not enrolled.
            openProbes++;
            falseAccepts += Decide(samples, cohort, probe, j => samples[j].Identity != probe.Identity, threshold) is null ? 0 : 1;
        }

        foreach (EvaluationSample stranger in strangers)
        {
            openProbes++;
            falseAccepts += Decide(samples, cohort, stranger, _ => true, threshold) is null ? 0 : 1;
        }

        return $"{Percent(missed, closedProbes)} ({missed}/{closedProbes}) / {Percent(wrong, closedProbes)} / {Percent(falseAccepts, openProbes)} ({falseAccepts}/{openProbes})";
    }

    /// <summary>
    /// The matched person, or null: nearest person within the threshold, leading the next by
    /// <see cref="MinLead"/> and, with a cohort, nearer than the closest cohort face by <see cref="MinLead"/>.
    /// </summary>
    private static string? Decide(List<EvaluationSample> samples, List<EvaluationSample> cohort, EvaluationSample probe, Func<int, bool> enrolled, float threshold)
    {
        Dictionary<string, float> nearest = new(StringComparer.Ordinal);
        for (int j = 0; j < samples.Count; j++)
        {
            if (enrolled(j) && !ReferenceEquals(samples[j], probe))
            {
                float d = -NegativeDistance(probe, samples[j]);
                nearest[samples[j].Identity] = Math.Min(d, nearest.GetValueOrDefault(samples[j].Identity, float.MaxValue));
            }
        }

        List<KeyValuePair<string, float>> ranked = nearest.OrderBy(p => p.Value).Take(2).ToList();
        if (ranked.Count == 0 || ranked[0].Value > threshold)
        {
            return null;
        }

        if (ranked.Count > 1 && ranked[1].Value - ranked[0].Value < MinLead)
        {
            return null;
        }

        float closestStranger = cohort.Count == 0 ? float.MaxValue : cohort.Min(c => -NegativeDistance(probe, c));
        return closestStranger - ranked[0].Value < MinLead ? null : ranked[0].Key;
    }
}
