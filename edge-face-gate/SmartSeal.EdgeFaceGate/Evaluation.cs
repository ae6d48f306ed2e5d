using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// Accuracy over people/&lt;identity&gt;/* : every same-person pair is genuine, every cross-person pair an
/// impostor; FAR/FRR at the policy threshold; rank-1 by leave-one-out against all other photos; and
/// the liveness of spoof/ probes next to that of the real photos.
/// </summary>
public static class Evaluation
{
    public static void Run(FacePipeline pipeline, string facesFolder, MatchPolicy policy, TextWriter output)
    {
        string people = Path.Combine(facesFolder, "people");
        // Photos may hold bystanders: pick the chosen face (score, then size) instead of refusing.
        FacePipelineOptions options = FacePipelineOptions.Gate with { AllowSeveralFaces = true };
        List<(string Identity, string File, float[] Embedding, float Liveness)> samples = [];
        List<string> refused = [];
        foreach (string dir in Directory.GetDirectories(people).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(dir).Where(IsImage).Order(StringComparer.Ordinal))
            {
                FaceAnalysis a = pipeline.AnalyseFile(file, options);
                if (a.Accepted)
                {
                    samples.Add((Path.GetFileName(dir), Path.GetFileName(file), a.Embedding!, a.Liveness ?? float.NaN));
                }
                else
                {
                    refused.Add($"{Path.GetFileName(dir)}/{Path.GetFileName(file)}: {a.Refusal} ({a.Reason})");
                }
            }
        }

        List<float> genuine = [], impostor = [];
        for (int i = 0; i < samples.Count; i++)
        {
            for (int j = i + 1; j < samples.Count; j++)
            {
                float score = System.Numerics.Tensors.TensorPrimitives.Dot(samples[i].Embedding, samples[j].Embedding);
                (samples[i].Identity == samples[j].Identity ? genuine : impostor).Add(score);
            }
        }

        int rank1 = 0, matched = 0, probes = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            FaceGallery gallery = new();
            for (int j = 0; j < samples.Count; j++)
            {
                if (j != i)
                {
                    gallery.Add(samples[j].Identity, samples[j].Embedding);
                }
            }

            if (!gallery.Identities.Contains(samples[i].Identity))
            {
                continue;
            }

            probes++;
            MatchResult r = gallery.Identify(samples[i].Embedding, policy);
            rank1 += r.Identity == samples[i].Identity ? 1 : 0;
            matched += r.MatchedIdentity == samples[i].Identity ? 1 : 0;
        }

        int identities = samples.Select(s => s.Identity).Distinct().Count();
        output.WriteLine($"faces folder: {facesFolder}");
        output.WriteLine($"photos: {samples.Count + refused.Count} of {identities} people; usable {samples.Count}; refused {refused.Count}");
        foreach (string line in refused)
        {
            output.WriteLine($"  refused {line}");
        }

        output.WriteLine($"genuine pairs:  {genuine.Count,6}  cosine {Mean(genuine):0.000} ± {Sd(genuine):0.000}  (min {genuine.DefaultIfEmpty().Min():0.000})");
        output.WriteLine($"impostor pairs: {impostor.Count,6}  cosine {Mean(impostor):0.000} ± {Sd(impostor):0.000}  (max {impostor.DefaultIfEmpty().Max():0.000})");
        int falseAccepts = impostor.Count(s => s >= policy.Threshold);
        int falseRejects = genuine.Count(s => s < policy.Threshold);
        output.WriteLine($"threshold {policy.Threshold:0.00}: FAR {Percent(falseAccepts, impostor.Count)} ({falseAccepts}/{impostor.Count}), FRR {Percent(falseRejects, genuine.Count)} ({falseRejects}/{genuine.Count})");
        output.WriteLine($"rank-1 identification (leave-one-out): {Percent(rank1, probes)} ({rank1}/{probes}); matched with margin {policy.MinMargin:0.00}: {Percent(matched, probes)} ({matched}/{probes})");

        List<float> live = samples.Select(s => s.Liveness).Where(v => !float.IsNaN(v)).ToList();
        output.WriteLine($"liveness of people photos: {Mean(live):0.000} ± {Sd(live):0.000}");
        string spoof = Path.Combine(facesFolder, "spoof");
        if (Directory.Exists(spoof))
        {
            foreach (string file in Directory.GetFiles(spoof).Where(IsImage).Order(StringComparer.Ordinal))
            {
                FaceAnalysis a = pipeline.AnalyseFile(file, options);
                output.WriteLine($"spoof/{Path.GetFileName(file)}: {(a.Accepted ? $"liveness {a.Liveness:0.000}" : $"{a.Refusal} ({a.Reason})")}");
            }
        }
    }

    internal static bool IsImage(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".jpg" or ".jpeg" or ".png" or ".bmp" or ".webp";
    }

    private static string Percent(int part, int whole) => whole == 0 ? "n/a" : $"{100.0 * part / whole:0.00} %";

    private static double Mean(List<float> values) => values.Count == 0 ? double.NaN : values.Average();

    private static double Sd(List<float> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
