using System.Numerics.Tensors;
using System.Text;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>Gallery, cohort and template checks for dlib's recipes, which score by dlib's own distance (1 − d²/2).</summary>
public class DlibMetricGalleryTests(ITestOutputHelper output)
{
    private const string DlibRecipe = "faceplugin-0.0.1+yunet-2023mar+dlib-resnet-v1/r1";

    /// <summary>
    /// A dlib-like descriptor: 128 values of a heavy-tailed distribution (a few large values, as real
    /// descriptors have: values up to 0.56 at length about 1.5), the given length, zero past 128.
    /// </summary>
    private static float[] Descriptor(int seed, float length)
    {
        Random random = new(seed);
        float[] v = new float[FaceEmbedder.Dimensions];
        for (int i = 0; i < TemplateCodec.DlibDimensions; i++)
        {
            double g = random.NextDouble() * 2 - 1;
            v[i] = (float)(g * g * g);
        }

        TensorPrimitives.Multiply(v, length / TensorPrimitives.Norm(v), v);
        return v;
    }

    /// <summary>A descriptor at euclidean distance <paramref name="distance"/> from <paramref name="anchor"/>, in a random direction.</summary>
    private static float[] At(float[] anchor, float distance, int seed)
    {
        float[] step = Descriptor(seed, distance);
        return anchor.Select((v, i) => v + step[i]).ToArray();
    }

    private static float DlibScore(float[] a, float[] b) => 1f - (TensorPrimitives.Distance(a, b) * TensorPrimitives.Distance(a, b) / 2f);

    [Fact]
    public void Dlib_recipes_score_by_one_minus_half_the_squared_distance_and_others_by_cosine()
    {
        Assert.Equal(TemplateMetric.DlibDistance, FaceRecipe.MetricOf(DlibRecipe));
        Assert.Equal(TemplateMetric.DlibDistance, FaceRecipe.MetricOf(FaceRecipe.VersionFor(FaceDetectorKind.UltraLight, FaceEmbedderKind.DlibResNet)));
        Assert.Equal(TemplateMetric.Cosine, FaceRecipe.MetricOf("faceplugin-0.0.1/r1"));
        Assert.Equal(TemplateMetric.Cosine, FaceRecipe.MetricOf(FaceRecipe.VersionFor(FaceDetectorKind.YuNet)));

        float[] probe = Descriptor(1, 1.4f), near = At(probe, 0.45f, 2), far = At(probe, 0.8f, 3);
        FaceGallery gallery = new(TemplateMetric.DlibDistance);
        gallery.Add("near", near);
        gallery.Add("far", far);
        MatchResult r = gallery.Identify(probe, MatchPolicy.For(DlibRecipe));

        Assert.Equal("near", r.MatchedIdentity);
        Assert.Equal(DlibScore(probe, near), r.Score, 4);
        Assert.Equal(TensorPrimitives.Distance(probe, near), TemplateScores.DistanceOf(r.Score), 3);
        Assert.Equal(DlibScore(probe, far), r.RunnerUpScore, 4);
        Assert.Equal(MatchPolicy.DlibThreshold, TemplateScores.ScoreAtDistance(0.6f), 6);
    }

    [Fact]
    public void The_descriptor_length_decides_under_dlib_distance_but_not_under_cosine()
    {
        float[] probe = Descriptor(5, 1.5f);
        float[] sameLength = At(probe, 0.3f, 6);
        float[] longer = probe.Select(v => v * 1.6f).ToArray(); // same direction: cosine 1, distance 0.9

        FaceGallery dlib = new(TemplateMetric.DlibDistance), cosine = new(TemplateMetric.Cosine);
        foreach (FaceGallery g in new[] { dlib, cosine })
        {
            g.Add("same-length", sameLength);
            g.Add("longer", longer);
        }

        Assert.Equal("same-length", dlib.Identify(probe, new MatchPolicy(0f, 0f)).Identity);
        float[] unitProbe = (float[])probe.Clone();
        FaceEmbedder.Normalise(unitProbe); // a cosine gallery takes unit probes (fr_feature's embeddings)
        Assert.Equal("longer", cosine.Identify(unitProbe, new MatchPolicy(0f, 0f)).Identity);
        Assert.Equal(1f, cosine.Identify(unitProbe, new MatchPolicy(0f, 0f)).Score, 4);
    }

    [Fact]
    public void The_8_bit_prescan_finds_every_true_best_among_dlib_descriptors()
    {
        FaceGallery gallery = new(TemplateMetric.DlibDistance);
        List<(string Identity, float[] Template)> templates = [];
        Random lengths = new(9);
        for (int i = 0; i < FaceGallery.QuantizedScanFrom + 1000; i++)
        {
            float[] t = Descriptor(10_000 + i, 1.0f + (float)lengths.NextDouble() * 0.8f);
            templates.Add(($"person-{i / 4}", t));
            gallery.Add($"person-{i / 4}", t);
        }

        // Probes close to an enrolled template (a genuine attempt) and probes close to nobody (a stranger).
        MatchPolicy everything = new(float.NegativeInfinity, float.NegativeInfinity);
        int checkedProbes = 0;
        for (int p = 0; p < 120; p++)
        {
            float[] probe = p % 2 == 0 ? At(templates[p * 37].Template, 0.35f + (p % 7 * 0.05f), 50_000 + p) : Descriptor(60_000 + p, 1.4f);
            Dictionary<string, float> exact = [];
            foreach ((string identity, float[] t) in templates)
            {
                exact[identity] = Math.Max(exact.GetValueOrDefault(identity, float.NegativeInfinity), DlibScore(probe, t));
            }

            KeyValuePair<string, float> best = exact.MaxBy(e => e.Value);
            MatchResult found = gallery.Identify(probe, everything);
            Assert.Equal(best.Key, found.Identity);
            Assert.Equal(best.Value, found.Score, 0.0001f);
            checkedProbes++;
        }

        Assert.Equal(120, checkedProbes);
    }

    [Fact]
    public void The_8_bit_error_of_dlib_descriptors_stays_within_half_the_rescoring_slack_per_unit_of_length()
    {
        QuantizedRows rows = new();
        List<float[]> templates = [];
        for (int i = 0; i < 400; i++)
        {
            templates.Add(Descriptor(700 + i, 1.0f + (i % 9 * 0.1f)));
            rows.Add(templates[^1]);
        }

        float worst = 0;
        for (int p = 0; p < 20; p++)
        {
            float[] probe = At(templates[p * 11], 0.5f, 900 + p);
            float[] approx = new float[rows.Count];
            rows.Scores(probe, approx);
            for (int i = 0; i < templates.Count; i++)
            {
                float exact = TensorPrimitives.Dot(probe, templates[i]);
                worst = Math.Max(worst, Math.Abs(approx[i] - exact) / (TensorPrimitives.Norm(probe) * TensorPrimitives.Norm(templates[i])));
            }
        }

        output.WriteLine($"worst 8-bit dot error per |p||t|: {worst:0.0000} (slack {FaceGallery.RescoreSlack})");
        Assert.InRange(worst, 0f, FaceGallery.RescoreSlack / 2);
    }

    [Fact]
    public void Each_person_can_be_scored_by_the_mean_of_all_their_templates()
    {
        float[] probe = Descriptor(20, 1.5f);
        FaceGallery gallery = new(TemplateMetric.DlibDistance);
        float[] close = At(probe, 0.3f, 21), wide = At(probe, 0.7f, 22), steady = At(probe, 0.45f, 23);
        gallery.Add("one-close-one-wide", close);
        gallery.Add("one-close-one-wide", wide);
        gallery.Add("steady", steady);
        gallery.Add("steady", At(probe, 0.45f, 24));

        MatchResult best = gallery.Identify(probe, new MatchPolicy(0f, 0f));
        MatchResult mean = gallery.Identify(probe, new MatchPolicy(0f, 0f) { PersonScore = PersonScore.MeanOfTemplates });

        Assert.Equal("one-close-one-wide", best.Identity);
        Assert.Equal("steady", mean.Identity);
        Assert.Equal((DlibScore(probe, close) + DlibScore(probe, wide)) / 2, mean.RunnerUpScore, 4);
    }

    [Fact]
    public void A_dlib_cohort_keeps_the_lengths_through_its_file_and_a_unit_vector_file_of_that_recipe_is_refused()
    {
        float[] stranger = Descriptor(30, 1.3f);
        FaceCohort cohort = new([stranger, Descriptor(31, 1.6f)], DlibRecipe);
        using MemoryStream file = new();
        cohort.Save(file);
        file.Position = 0;
        FaceCohort loaded = FaceCohort.Load(file);
        float[] probe = At(stranger, 0.4f, 32);

        Assert.Equal((TemplateMetric.DlibDistance, 2), (loaded.Metric, loaded.Count));
        Assert.Equal(DlibScore(probe, stranger), loaded.MaxScore(probe), 4);
        Assert.Equal(TensorPrimitives.Norm(stranger), TensorPrimitives.Norm(loaded.Row(0)), 5);

        // The format before the lengths were kept, with a dlib recipe: unit rows cannot give dlib's distance.
        using MemoryStream old = new();
        using (BinaryWriter writer = new(old, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("SSCOHORT1");
            writer.Write(DlibRecipe);
            writer.Write(0);
        }

        old.Position = 0;
        InvalidDataException refused = Assert.Throws<InvalidDataException>(() => FaceCohort.Load(old));
        Assert.Contains("build-cohort", refused.Message);
    }

    [Fact]
    public void A_gallery_refuses_a_cohort_scored_by_another_metric()
    {
        FaceGallery gallery = new(TemplateMetric.DlibDistance);
        gallery.Add("alice", Descriptor(40, 1.5f));
        FaceCohort cosineCohort = new([Descriptor(41, 1f)], "faceplugin-0.0.1/r1");

        ArgumentException e = Assert.Throws<ArgumentException>(() => gallery.Identify(Descriptor(42, 1.5f), MatchPolicy.For(DlibRecipe) with { Cohort = cosineCohort }));
        Assert.Contains("faceplugin-0.0.1/r1", e.Message);
    }

    [Fact]
    public void A_template_of_another_recipe_is_named_as_such_for_a_dlib_recipe()
    {
        float[] fullWidth = new float[FaceEmbedder.Dimensions];
        Array.Fill(fullWidth, 1f / MathF.Sqrt(FaceEmbedder.Dimensions)); // fr_feature's shape: all 512 values, unit length
        float[] unitDescriptor = Descriptor(50, 1f);
        TensorPrimitives.Multiply(unitDescriptor, 0.3f, unitDescriptor);

        Assert.Null(TemplateCodec.Mismatch(Descriptor(51, 1.5f), DlibRecipe));
        Assert.Contains("past the first 128", TemplateCodec.Mismatch(fullWidth, DlibRecipe));
        Assert.Contains("length 0.300", TemplateCodec.Mismatch(unitDescriptor, DlibRecipe));
        Assert.Null(TemplateCodec.Mismatch(fullWidth, "faceplugin-0.0.1/r1"));
    }

    [Fact]
    public void Each_recipe_has_its_own_gate_policy()
    {
        MatchPolicy cosine = MatchPolicy.OpenSetFor("faceplugin-0.0.1/r1"), dlib = MatchPolicy.OpenSetFor(DlibRecipe);

        Assert.Equal((MatchPolicy.GateThreshold, 0.05f, MatchPolicy.DefaultCohortMargin), (cosine.Threshold, cosine.MinMargin, cosine.CohortMargin));
        Assert.Equal(0.50f, TemplateScores.DistanceOf(dlib.Threshold), 4);
        Assert.Equal((MatchPolicy.DlibMargin, MatchPolicy.DlibMargin), (dlib.MinMargin, dlib.CohortMargin));
        Assert.Null(dlib.Cohort); // the bundled cohort is fr_feature's
    }
}
