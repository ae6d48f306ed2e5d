using System.Numerics.Tensors;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>One usable evaluation photo: its identity (folder name, merged across faces folders) and its embedding.</summary>
public sealed record EvaluationSample(string Identity, string File, float[] Embedding, float Liveness, float EmbeddingNorm = 1)
{
    /// <summary>What the gallery stores for this photo (<see cref="FaceAnalysis.Template"/>): dlib's descriptor unnormalised.</summary>
    public float[] Template { get; } = new FaceAnalysis { Refusal = FaceRefusal.None, Reason = "", Embedding = Embedding, EmbeddingNorm = EmbeddingNorm }.Template!;
}

/// <summary>
/// Accuracy over people/&lt;identity&gt;/* of one or more faces folders. Pairs: every same-person pair is
/// genuine, every cross-person pair an impostor (raw cosine, and cosine minus the closest cohort
/// stranger). Closed set: each photo against all other photos (leave one photo out). Open set: each
/// photo against everybody else with its own identity left out, plus the held-out strangers — any
/// match there is a false accept of a person who is not enrolled. Also the hardest impostor pairs and
/// the DET curve (SVG), and the liveness of spoof/ probes.
/// </summary>
public static class Evaluation
{
    /// <summary>Two photos of one person this close are likely one picture twice, not two sessions.</summary>
    private const float NearIdentical = 0.95f;

    public static List<EvaluationSample> LoadSamples(FacePipeline pipeline, IEnumerable<string> facesFolders, TextWriter output)
    {
        // Photos may hold bystanders: pick the chosen face (score, then size) instead of refusing.
        FacePipelineOptions options = FacePipelineOptions.Gate with { AllowSeveralFaces = true };
        List<EvaluationSample> samples = [];
        foreach (string folder in facesFolders)
        {
            string people = Path.Combine(folder, "people");
            foreach (string dir in Directory.GetDirectories(people).Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.GetFiles(dir).Where(IsImage).Order(StringComparer.Ordinal))
                {
                    FaceAnalysis a = pipeline.AnalyseFile(file, options);
                    string name = $"{Path.GetFileName(dir)}/{Path.GetFileName(file)}";
                    if (a.Accepted)
                    {
                        samples.Add(new EvaluationSample(Path.GetFileName(dir), name, a.Embedding!, a.Liveness ?? float.NaN, a.EmbeddingNorm));
                    }
                    else
                    {
                        output.WriteLine($"  refused {name}: {a.Refusal} ({a.Reason})");
                    }
                }
            }
        }

        return samples;
    }

    public static void Run(FacePipeline pipeline, IReadOnlyList<string> facesFolders, MatchPolicy policy, FaceCohort? storedStrangers, string? detSvgPath, TextWriter output)
    {
        output.WriteLine($"faces folders: {string.Join(", ", facesFolders)}");
        List<EvaluationSample> samples = LoadSamples(pipeline, facesFolders, output);
        HeldOutStrangers strangers = HeldOutStrangers.Load(pipeline, facesFolders, storedStrangers, output);
        int identities = samples.Select(s => s.Identity).Distinct().Count();
        output.WriteLine($"usable photos: {samples.Count} of {identities} people; held-out strangers (not enrolled, not in the cohort): {strangers.Count}");
        FaceCohort? cohort = policy.Cohort;
        output.WriteLine(FaceRecipe.MetricOf(pipeline.Recipe) == TemplateMetric.Cosine
            ? $"rule: cosine ≥ {policy.Threshold:0.00}, lead over the next enrolled person ≥ {policy.MinMargin:0.00}" +
              (cohort is null ? ", no cohort" : $", lead over the closest of {cohort.Count} cohort strangers ≥ {policy.CohortMargin:0.00}")
            : $"rule: score 1 − d²/2 ≥ {policy.Threshold:0.000} (dlib distance ≤ {TemplateScores.DistanceOf(policy.Threshold):0.00}), lead over the next enrolled person ≥ {policy.MinMargin:0.000}" +
              (cohort is null ? ", no cohort" : $", lead over the closest of {cohort.Count} cohort strangers ≥ {policy.CohortMargin:0.000}"));

        TemplateMetric metric = FaceRecipe.MetricOf(pipeline.Recipe);
        // The recipe's own score (cosine, or dlib's 1 − d²/2) for everything that meets the cohort; the pair lines stay cosine.
        Func<float[], float[], float> recipeScore = metric == TemplateMetric.Cosine ? (a, b) => TensorPrimitives.Dot(a, b) : (a, b) => TemplateScores.Score(metric, a, b);
        float[] cohortScore = samples.Select(s => cohort?.MaxScore(s.Template) ?? -1f).ToArray();
        if (cohort is not null)
        {
            // A cohort face of an evaluated person would show here as a high score.
            output.WriteLine($"closest cohort stranger of any evaluation photo: {TemplateScores.Describe(metric, cohortScore.Max())}");
        }

        List<float> genuine = [], impostor = [], genuineNorm = [], impostorNorm = [];
        List<(float Score, int A, int B)> hardest = [], nearIdentical = [];
        for (int i = 0; i < samples.Count; i++)
        {
            for (int j = i + 1; j < samples.Count; j++)
            {
                float score = TensorPrimitives.Dot(samples[i].Embedding, samples[j].Embedding);
                float norm = recipeScore(samples[i].Template, samples[j].Template) - Math.Max(cohortScore[i], cohortScore[j]);
                if (samples[i].Identity == samples[j].Identity)
                {
                    genuine.Add(score);
                    genuineNorm.Add(norm);
                    if (score >= NearIdentical)
                    {
                        nearIdentical.Add((score, i, j));
                    }
                }
                else
                {
                    impostor.Add(score);
                    impostorNorm.Add(norm);
                    hardest.Add((score, i, j));
                }
            }
        }

        output.WriteLine($"genuine pairs:  {genuine.Count,6}  cosine {Mean(genuine):0.000} ± {Sd(genuine):0.000}  (min {genuine.DefaultIfEmpty().Min():0.000})");
        output.WriteLine($"impostor pairs: {impostor.Count,6}  cosine {Mean(impostor):0.000} ± {Sd(impostor):0.000}  (max {impostor.DefaultIfEmpty().Max():0.000})");
        // The same picture twice (another crop or re-encoding of one photo) flatters the genuine scores.
        output.WriteLine($"near-identical genuine pairs (cosine ≥ {NearIdentical:0.00}): {nearIdentical.Count}");
        foreach ((float score, int a, int b) in nearIdentical.OrderByDescending(p => p.Score).Take(5))
        {
            output.WriteLine($"  {score:0.000}  {samples[a].File}  ~  {samples[b].File}");
        }

        if (metric == TemplateMetric.Cosine)
        {
            int falseAccepts = impostor.Count(s => s >= policy.Threshold);
            int falseRejects = genuine.Count(s => s < policy.Threshold);
            output.WriteLine($"pairs at cosine {policy.Threshold:0.00}: FAR {Percent(falseAccepts, impostor.Count)} ({falseAccepts}/{impostor.Count}), FRR {Percent(falseRejects, genuine.Count)} ({falseRejects}/{genuine.Count})");
        }

        float at1 = ThresholdForFrr(genuine, 0.01);
        output.WriteLine($"pairs, threshold for FRR ≤ 1 %: cosine {at1:0.000} → FAR {Percent(impostor.Count(s => s >= at1), impostor.Count)}");
        HeldOutThreshold(samples, Cosine, output);
        (List<float> Genuine, List<float> Impostor)? dlibPairs = null;
        if (pipeline.EmbedderKind == FaceEmbedderKind.DlibResNet)
        {
            dlibPairs = DlibMetricEvaluation.Run(samples, output);
        }

        if (cohort is not null)
        {
            ScoreVariants(samples, cohort, recipeScore, output);
        }

        output.WriteLine("hardest impostor pairs (cosine, closest cohort stranger of each):");
        foreach ((float score, int a, int b) in hardest.OrderByDescending(h => h.Score).Take(8))
        {
            output.WriteLine($"  {score:0.000}  {samples[a].File} ({cohortScore[a]:0.000})  ~  {samples[b].File} ({cohortScore[b]:0.000})");
        }

        ReportRelatives(samples, facesFolders, policy, output);

        IdentitySweep(samples, strangers, policy, metric, output);
        ClosedSet(samples, policy, metric, output);
        OpenSet(samples, strangers, policy, metric, output);
        OpenSet(samples, strangers, policy with { Cohort = null }, metric, output);
        ClosestStrangers(samples, strangers, policy, metric, output);

        if (detSvgPath is not null)
        {
            List<DetCurveSvg.Curve> curves = [new("cosine", genuine, impostor, "#1f77b4")];
            if (dlibPairs is { } d)
            {
                curves.Add(new("dlib: − euclidean distance", d.Genuine, d.Impostor, "#2ca02c"));
            }

            if (cohort is not null)
            {
                curves.Add(new(metric == TemplateMetric.Cosine ? "cosine − closest cohort stranger" : "dlib: 1 − d²/2 − closest cohort stranger", genuineNorm, impostorNorm, "#d62728"));
            }

            File.WriteAllText(detSvgPath, DetCurveSvg.Render(curves, $"DET, {genuine.Count} genuine / {impostor.Count} impostor pairs"));
            output.WriteLine($"DET curve written to {detSvgPath}");
        }

        List<float> live = samples.Select(s => s.Liveness).Where(v => !float.IsNaN(v)).ToList();
        output.WriteLine($"liveness of people photos: {Mean(live):0.000} ± {Sd(live):0.000} (below 0.5: {live.Count(v => v < 0.5f)} of {live.Count})");
        foreach (string folder in facesFolders)
        {
            string spoof = Path.Combine(folder, "spoof");
            if (Directory.Exists(spoof))
            {
                foreach (string file in Directory.GetFiles(spoof).Where(IsImage).Order(StringComparer.Ordinal))
                {
                    FaceAnalysis a = pipeline.AnalyseFile(file, FacePipelineOptions.Gate with { AllowSeveralFaces = true });
                    output.WriteLine($"spoof/{Path.GetFileName(file)}: {(a.Accepted ? $"liveness {a.Liveness:0.000}" : $"{a.Refusal} ({a.Reason})")}");
                }
            }
        }
    }

    /// <summary>
    /// The gate rule at thresholds around the policy's, with each person scored by the best of their
    /// templates and by the mean over them: closed-set FRR and open-set FAR (counts) per line. dlib's
    /// scores are swept by distance, 0.46 to 0.62.
    /// </summary>
    private static void IdentitySweep(List<EvaluationSample> samples, HeldOutStrangers strangers, MatchPolicy policy, TemplateMetric metric, TextWriter output)
    {
        float[] thresholds = metric == TemplateMetric.Cosine
            ? [.. Enumerable.Range(0, 11).Select(i => 0.40f + (0.02f * i))]
            : [.. Enumerable.Range(0, 9).Select(i => TemplateScores.ScoreAtDistance(0.62f - (0.02f * i)))];
        // dlib's margins are new: other leads over the next person and over the cohort are swept too (best template only).
        List<(PersonScore Rule, float Next, float Cohort)> variants = [(PersonScore.BestTemplate, policy.MinMargin, policy.CohortMargin), (PersonScore.MeanOfTemplates, policy.MinMargin, policy.CohortMargin)];
        if (metric == TemplateMetric.DlibDistance)
        {
            variants.AddRange(from next in new[] { 0.015f, 0.03f, 0.045f } from c in new[] { 0.03f, 0.045f, 0.06f, 0.08f }
                              where (next, c) != (policy.MinMargin, policy.CohortMargin)
                              select (PersonScore.BestTemplate, next, c));
        }

        foreach ((PersonScore rule, float next, float cohortLead) in variants)
        {
            MatchPolicy rulePolicy = policy with { MinMargin = next, CohortMargin = cohortLead };
            output.WriteLine($"identity-level sweep, person = {rule} (closed-set FRR / open-set FAR; lead over the next person {rulePolicy.MinMargin:0.000}, over the cohort {rulePolicy.CohortMargin:0.000}):");
            foreach (float t in thresholds)
            {
                MatchPolicy at = rulePolicy with { Threshold = t, PersonScore = rule };
                output.WriteLine($"  {(metric == TemplateMetric.Cosine ? "threshold" : $"score {t:0.000},")} {TemplateScores.Describe(metric, t)}: {ClosedSetCounts(samples, at, metric).Frr}  /  {OpenSetCounts(samples, strangers, at, metric).Far}");
            }
        }
    }

    /// <summary>Impostor pairs of relatives named in relatives.txt, reported apart (a relative is the likeliest false accept).</summary>
    private static void ReportRelatives(List<EvaluationSample> samples, IReadOnlyList<string> facesFolders, MatchPolicy policy, TextWriter output)
    {
        foreach (string file in facesFolders.Select(f => Path.Combine(f, "relatives.txt")).Where(File.Exists))
        {
            List<RelativePair> pairs = RelativesList.Parse(File.ReadLines(file), file);
            output.WriteLine(pairs.Count == 0
                ? $"relatives ({file}): none listed"
                : $"relatives ({file}): photo pairs, cosine mean / max, pairs at ≥ {policy.Threshold:0.00}");
            foreach (RelativeScores r in pairs.Select(p => RelativesList.Score(p, samples, policy.Threshold)).OrderByDescending(r => r.Max))
            {
                output.WriteLine($"  {r.Pair.A} ~ {r.Pair.B} ({r.Pair.Relation}): {r.Count} pairs, {r.Mean:0.000} / {r.Max:0.000}, {r.AtOrAboveThreshold}");
            }
        }
    }

    /// <summary>Experiment: how each cohort normalisation separates the pairs (threshold at FRR ≤ 1 %, FAR there).</summary>
    /// <summary>
    /// The threshold for FRR ≤ 1 % chosen on half of the people (alternate identities in name order) and
    /// measured on pairs of the other half, both ways round: the pair FAR without the optimism of
    /// choosing and reporting on the same data.
    /// </summary>
    internal static void HeldOutThreshold(List<EvaluationSample> samples, Func<EvaluationSample, EvaluationSample, float> score, TextWriter output)
    {
        List<string> people = samples.Select(s => s.Identity).Distinct().Order(StringComparer.Ordinal).ToList();
        for (int half = 0; half < 2; half++)
        {
            HashSet<string> calibration = people.Where((_, i) => i % 2 == half).ToHashSet(StringComparer.Ordinal);
            (List<float> calGenuine, _) = Pairs(samples.Where(s => calibration.Contains(s.Identity)).ToList(), score);
            (List<float> testGenuine, List<float> testImpostor) = Pairs(samples.Where(s => !calibration.Contains(s.Identity)).ToList(), score);
            float threshold = ThresholdForFrr(calGenuine, 0.01);
            int fa = testImpostor.Count(v => v >= threshold), fr = testGenuine.Count(v => v < threshold);
            output.WriteLine($"held-out split {half + 1}/2: threshold {threshold:0.000} for FRR ≤ 1 % on {calibration.Count} people → on the other {people.Count - calibration.Count}: " +
                $"FAR {Percent(fa, testImpostor.Count)} ({fa}/{testImpostor.Count}), FRR {Percent(fr, testGenuine.Count)} ({fr}/{testGenuine.Count})");
        }
    }

    private static float Cosine(EvaluationSample a, EvaluationSample b) => TensorPrimitives.Dot(a.Embedding, b.Embedding);

    internal static (List<float> Genuine, List<float> Impostor) Pairs(List<EvaluationSample> samples, Func<EvaluationSample, EvaluationSample, float> score)
    {
        List<float> genuine = [], impostor = [];
        for (int i = 0; i < samples.Count; i++)
        {
            for (int j = i + 1; j < samples.Count; j++)
            {
                (samples[i].Identity == samples[j].Identity ? genuine : impostor).Add(score(samples[i], samples[j]));
            }
        }

        return (genuine, impostor);
    }

    private static void ScoreVariants(List<EvaluationSample> samples, FaceCohort cohort, Func<float[], float[], float> recipeScore, TextWriter output)
    {
        int n = samples.Count;
        double[] mu = new double[n], sd = new double[n], top10 = new double[n];
        for (int i = 0; i < n; i++)
        {
            float[] c = Enumerable.Range(0, cohort.Count).Select(k => recipeScore(samples[i].Template, cohort.Row(k))).ToArray();
            mu[i] = c.Average();
            sd[i] = Math.Sqrt(c.Sum(v => (v - mu[i]) * (v - mu[i])) / (c.Length - 1));
            top10[i] = c.OrderDescending().Take(10).Average();
        }

        var variants = new (string Name, Func<float, int, int, double> Score)[]
        {
            ("raw cosine", (s, a, b) => s),
            ("s-norm (z of both sides vs cohort)", (s, a, b) => 0.5 * ((s - mu[a]) / sd[a] + (s - mu[b]) / sd[b])),
            ("cosine − mean of 10 closest cohort (both sides)", (s, a, b) => s - 0.5 * (top10[a] + top10[b])),
            ("cosine − max(top10 mean)", (s, a, b) => s - Math.Max(top10[a], top10[b])),
        };
        foreach (var v in variants)
        {
            List<float> g = [], im = [];
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    float sc = recipeScore(samples[i].Template, samples[j].Template);
                    (samples[i].Identity == samples[j].Identity ? g : im).Add((float)v.Score(sc, i, j));
                }
            }

            float t = ThresholdForFrr(g, 0.01);
            output.WriteLine($"variant {v.Name}: threshold {t:0.000} at FRR ≤ 1 % → FAR {Percent(im.Count(x => x >= t), im.Count)} ({im.Count(x => x >= t)}); impostor max {im.Max():0.000}, genuine min {g.Min():0.000}");
        }
    }

    /// <summary>Leave one photo out: the others are the gallery; the photo's own identity must be matched, nobody else.</summary>
    private static void ClosedSet(List<EvaluationSample> samples, MatchPolicy policy, TemplateMetric metric, TextWriter output)
    {
        (string frr, string far, List<string> misses) = ClosedSetCounts(samples, policy, metric);
        output.WriteLine($"closed set (enrolled probes, leave one photo out): FRR {frr}, FAR (matched as someone else) {far}");
        foreach (string line in misses)
        {
            output.WriteLine($"  not matched {line}");
        }
    }

    internal static (string Frr, string Far, List<string> Misses) ClosedSetCounts(List<EvaluationSample> samples, MatchPolicy policy, TemplateMetric metric)
    {
        int probes = 0, correct = 0, wrong = 0;
        List<string> misses = [];
        for (int i = 0; i < samples.Count; i++)
        {
            FaceGallery gallery = Gallery(samples, j => j != i, metric);
            if (!gallery.Identities.Contains(samples[i].Identity))
            {
                continue;
            }

            probes++;
            MatchResult r = gallery.Identify(samples[i].Template, policy);
            string? matched = r.MatchedIdentity;
            correct += matched == samples[i].Identity ? 1 : 0;
            wrong += matched is not null && matched != samples[i].Identity ? 1 : 0;
            if (matched != samples[i].Identity)
            {
                misses.Add($"{samples[i].File}: {r.Outcome} (best {r.Identity} {r.Score:0.000} = {TemplateScores.Describe(metric, r.Score)}, runner-up {r.RunnerUp} {r.RunnerUpScore:0.000}, cohort {r.CohortScore:0.000})");
            }
        }

        return ($"{Percent(probes - correct, probes)} ({probes - correct}/{probes})", $"{Percent(wrong, probes)} ({wrong}/{probes})", misses);
    }

    /// <summary>Each person left out of the gallery in turn and presented; then every held-out stranger against everybody.</summary>
    private static void OpenSet(List<EvaluationSample> samples, HeldOutStrangers strangers, MatchPolicy policy, TemplateMetric metric, TextWriter output)
    {
        (string far, List<string> accepts) = OpenSetCounts(samples, strangers, policy, metric);
        output.WriteLine($"open set, {(policy.Cohort is null ? "without" : "with")} cohort (probes of people not enrolled): FAR {far}");
        if (strangers.Portraits > 0)
        {
            int portraitAccepts = accepts.Count(a => a.StartsWith("portraits/", StringComparison.Ordinal));
            output.WriteLine($"  of which portraits/ (one photo per person, {strangers.Portraits} people): FAR {Rate(portraitAccepts, strangers.Portraits)}");
        }

        foreach (string line in accepts.Take(8))
        {
            output.WriteLine($"  false accept {line}");
        }
    }

    internal static (string Far, List<string> Accepts) OpenSetCounts(List<EvaluationSample> samples, HeldOutStrangers strangers, MatchPolicy policy, TemplateMetric metric)
    {
        int probes = 0;
        List<string> accepts = [];
        foreach (string identity in samples.Select(s => s.Identity).Distinct())
        {
            FaceGallery gallery = Gallery(samples, j => samples[j].Identity != identity, metric);
            foreach (EvaluationSample probe in samples.Where(s => s.Identity == identity))
            {
                probes++;
                MatchResult r = gallery.Identify(probe.Template, policy);
                if (r.Outcome == MatchOutcome.Match)
                {
                    accepts.Add($"{probe.File} → {r.Identity} ({r.Score:0.000})");
                }
            }
        }

        FaceGallery everybody = Gallery(samples, _ => true, metric);
        for (int k = 0; k < strangers.Count; k++)
        {
            probes++;
            MatchResult r = everybody.Identify(strangers.Embeddings[k], policy);
            if (r.Outcome == MatchOutcome.Match)
            {
                accepts.Add($"{strangers.Labels[k]} → {r.Identity} ({r.Score:0.000})");
            }
        }

        return (Rate(accepts.Count, probes), accepts);
    }

    /// <summary>A false-accept count with its rate and one-sided 95 % Clopper–Pearson upper bound.</summary>
    internal static string Rate(int events, int trials) =>
        trials == 0 ? "n/a" : $"{Percent(events, trials)} ({events}/{trials}); 95 % upper bound {100 * BinomialBound.Upper(events, trials):0.00} %";

    /// <summary>
    /// The held-out strangers whose best enrolled person scores highest (everybody enrolled, gate rule),
    /// with where each comes from, so the nearest misses can be looked at.
    /// </summary>
    private static void ClosestStrangers(List<EvaluationSample> samples, HeldOutStrangers strangers, MatchPolicy policy, TemplateMetric metric, TextWriter output)
    {
        FaceGallery everybody = Gallery(samples, _ => true, metric);
        var closest = Enumerable.Range(0, strangers.Count)
            .Select(k => (Label: strangers.Labels[k], Result: everybody.Identify(strangers.Embeddings[k], policy)))
            .OrderByDescending(c => c.Result.Score)
            .Take(10);
        output.WriteLine($"held-out strangers closest to an enrolled person ({(metric == TemplateMetric.Cosine ? "cosine" : "score 1 − d²/2")}, outcome at the gate rule):");
        foreach ((string label, MatchResult r) in closest)
        {
            output.WriteLine($"  {r.Score:0.000}  {label} ~ {r.Identity} ({r.Outcome}; runner-up {r.RunnerUp} {r.RunnerUpScore:0.000}, cohort {r.CohortScore:0.000})");
        }
    }

    private static FaceGallery Gallery(List<EvaluationSample> samples, Func<int, bool> include, TemplateMetric metric)
    {
        FaceGallery gallery = new(metric);
        for (int j = 0; j < samples.Count; j++)
        {
            if (include(j))
            {
                gallery.Add(samples[j].Identity, samples[j].Template);
            }
        }

        return gallery;
    }

    /// <summary>The highest threshold that rejects at most <paramref name="frr"/> of the genuine scores.</summary>
    internal static float ThresholdForFrr(List<float> genuine, double frr)
    {
        if (genuine.Count == 0)
        {
            return float.NaN;
        }

        float[] sorted = genuine.Order().ToArray();
        int allowed = (int)Math.Floor(frr * sorted.Length);
        return sorted[allowed];
    }

    internal static bool IsImage(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".jpg" or ".jpeg" or ".png" or ".bmp" or ".webp";
    }

    internal static string Percent(int part, int whole) => whole == 0 ? "n/a" : $"{100.0 * part / whole:0.00} %";

    internal static double Mean(List<float> values) => values.Count == 0 ? double.NaN : values.Average();

    internal static double Sd(List<float> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
