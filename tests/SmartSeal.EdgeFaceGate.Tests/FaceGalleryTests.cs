using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

public class FaceGalleryTests
{
    private static float[] Unit(int seed)
    {
        Random random = new(seed);
        float[] v = new float[FaceEmbedder.Dimensions];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
        }

        FaceEmbedder.Normalise(v);
        return v;
    }

    /// <summary>A vector at the given cosine from <paramref name="anchor"/> (mixed with an independent one).</summary>
    private static float[] Near(float[] anchor, float cosine, int seed)
    {
        float[] other = Unit(seed);
        float dot = System.Numerics.Tensors.TensorPrimitives.Dot(anchor, other);
        float[] orth = other.Select((v, i) => v - dot * anchor[i]).ToArray();
        FaceEmbedder.Normalise(orth);
        float s = MathF.Sqrt(1 - cosine * cosine);
        return anchor.Select((v, i) => cosine * v + s * orth[i]).ToArray();
    }

    [Fact]
    public void Returns_the_enrolled_identity_with_its_score_and_margin()
    {
        FaceGallery gallery = new();
        float[] alice = Unit(1), bob = Unit(2), carol = Unit(3);
        gallery.Add("alice", Near(alice, 0.8f, 10));
        gallery.Add("alice", Near(alice, 0.9f, 11));
        gallery.Add("bob", bob);
        gallery.Add("carol", carol);

        MatchResult result = gallery.Identify(alice, new MatchPolicy());

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal("alice", result.MatchedIdentity);
        Assert.Equal(0.9f, result.Score, 3);
        Assert.True(result.Margin > 0.5f, $"margin {result.Margin}");
    }

    [Fact]
    public void Refuses_a_probe_below_the_threshold()
    {
        FaceGallery gallery = new();
        gallery.Add("alice", Unit(1));
        gallery.Add("bob", Unit(2));

        MatchResult result = gallery.Identify(Near(Unit(1), 0.3f, 12), new MatchPolicy());

        Assert.Equal(MatchOutcome.Unknown, result.Outcome);
        Assert.Null(result.MatchedIdentity);
    }

    [Fact]
    public void Refuses_when_two_identities_are_too_close_to_call()
    {
        FaceGallery gallery = new();
        float[] probe = Unit(1);
        gallery.Add("alice", Near(probe, 0.70f, 20));
        gallery.Add("twin", Near(probe, 0.68f, 21));

        MatchResult result = gallery.Identify(probe, new MatchPolicy(MinMargin: 0.05f));

        Assert.Equal(MatchOutcome.Ambiguous, result.Outcome);
        Assert.Null(result.MatchedIdentity);
        Assert.Equal("alice", result.Identity);
    }

    [Fact]
    public void A_large_gallery_scanned_in_8_bits_still_decides_on_exact_scores()
    {
        FaceGallery gallery = new();
        for (int i = 0; i < FaceGallery.QuantizedScanFrom + 500; i++)
        {
            gallery.Add($"person-{i / 4}", Unit(1000 + i));
        }

        float[] probe = Unit(1);
        float[] enrolled = Near(probe, 0.62f, 30);
        gallery.Add("alice", enrolled);
        gallery.Add("alice", Near(probe, 0.55f, 31));

        MatchResult found = gallery.Identify(probe, new MatchPolicy());
        MatchResult stranger = gallery.Identify(Unit(2), new MatchPolicy());

        Assert.Equal("alice", found.MatchedIdentity);
        Assert.Equal(System.Numerics.Tensors.TensorPrimitives.Dot(probe, enrolled), found.Score, 4);
        Assert.Equal(MatchOutcome.Unknown, stranger.Outcome);
    }

    [Fact]
    public void The_8_bit_scores_stay_within_the_rescoring_slack_of_the_exact_ones()
    {
        QuantizedRows rows = new();
        List<float[]> templates = [];
        for (int i = 0; i < 200; i++)
        {
            templates.Add(Unit(500 + i));
            rows.Add(templates[^1]);
        }

        float[] probe = Near(templates[17], 0.7f, 3);
        float[] approx = new float[rows.Count];
        rows.Scores(probe, approx);

        for (int i = 0; i < templates.Count; i++)
        {
            float exact = System.Numerics.Tensors.TensorPrimitives.Dot(probe, templates[i]);
            Assert.InRange(approx[i] - exact, -0.015f, 0.015f);
        }

        Assert.Equal(0.7f, approx[17], 1);
    }

    [Fact]
    public void A_probe_as_close_to_a_cohort_stranger_as_to_the_enrolled_person_is_a_look_alike_not_a_match()
    {
        float[] alice = Unit(1), stranger = Unit(50);
        FaceGallery gallery = new();
        gallery.Add("alice", alice);
        FaceCohort cohort = new([stranger, Unit(51), Unit(52)], FaceRecipe.Version);
        float[] lookAlike = alice.Select((v, i) => (0.6f * v) + (0.65f * stranger[i])).ToArray();
        FaceEmbedder.Normalise(lookAlike);
        MatchPolicy openSet = new(MatchPolicy.GateThreshold) { Cohort = cohort };

        MatchResult refused = gallery.Identify(lookAlike, openSet);
        MatchResult withoutCohort = gallery.Identify(lookAlike, openSet with { Cohort = null });
        MatchResult alicesOwn = gallery.Identify(Near(alice, 0.8f, 9), openSet);

        Assert.Equal((MatchOutcome.LooksLikeStranger, null), (refused.Outcome, refused.MatchedIdentity));
        Assert.True(refused.CohortScore > refused.Score, $"cohort {refused.CohortScore} vs {refused.Score}");
        Assert.Equal(MatchOutcome.Match, withoutCohort.Outcome);
        Assert.Equal("alice", alicesOwn.MatchedIdentity);
    }

    [Fact]
    public void A_saved_cohort_loads_back_and_the_bundled_one_belongs_to_this_recipe()
    {
        FaceCohort cohort = new([Unit(3), Unit(4)], FaceRecipe.Version);
        using MemoryStream file = new();
        cohort.Save(file);
        file.Position = 0;
        FaceCohort loaded = FaceCohort.Load(file);

        Assert.Equal((2, FaceRecipe.Version), (loaded.Count, loaded.Recipe));
        Assert.Equal(cohort.MaxScore(Unit(3)), loaded.MaxScore(Unit(3)), 6);
        Assert.Throws<InvalidDataException>(() => FaceCohort.Load(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
        FaceCohort bundled = Assert.IsType<FaceCohort>(FaceCohort.Bundled);
        Assert.Equal((73, FaceRecipe.Version), (bundled.Count, bundled.Recipe));
    }

    [Fact]
    public void An_empty_gallery_matches_nobody()
    {
        MatchResult result = new FaceGallery().Identify(Unit(1), new MatchPolicy());
        Assert.Equal(MatchOutcome.Unknown, result.Outcome);
    }

    [Fact]
    public void Several_frames_of_the_same_person_are_needed_and_a_different_one_resets_the_run()
    {
        MultiFrameDecision decision = new(new DecisionPolicy(FramesNeeded: 3, MaxFrames: 6, MinLiveness: 0.5f));
        FaceAnalysis live = new() { Refusal = FaceRefusal.None, Reason = "ok", Liveness = 0.9f };
        MatchResult alice = new("alice", "bob", 0.8f, 0.1f, MatchOutcome.Match);
        MatchResult bob = new("bob", "alice", 0.8f, 0.1f, MatchOutcome.Match);

        Assert.Equal(DecisionState.Collecting, decision.Add(live, alice).State);
        Assert.Equal(DecisionState.Collecting, decision.Add(live, bob).State);
        Assert.Equal(DecisionState.Collecting, decision.Add(live, alice).State);
        Assert.Equal(DecisionState.Collecting, decision.Add(live, alice).State);
        GateDecision done = decision.Add(live, alice);

        Assert.Equal(DecisionState.Accepted, done.State);
        Assert.Equal("alice", done.Identity);
    }

    [Fact]
    public void A_spoof_like_liveness_refuses_even_a_matching_face()
    {
        MultiFrameDecision decision = new(new DecisionPolicy(FramesNeeded: 2, MaxFrames: 4, MinLiveness: 0.5f));
        FaceAnalysis photo = new() { Refusal = FaceRefusal.None, Reason = "ok", Liveness = 0.01f };
        MatchResult alice = new("alice", null, 0.8f, -1f, MatchOutcome.Match);

        GateDecision last = default!;
        for (int i = 0; i < 4; i++)
        {
            last = decision.Add(photo, alice);
        }

        Assert.Equal(DecisionState.Refused, last.State);
        Assert.Contains("liveness", last.Reason);
    }
}
