using OpenCvSharp;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>Issue 20: evidence over frames that a still picture cannot give.</summary>
public sealed class LivenessEvidenceTests
{
    private static readonly MatchResult Alice = new("alice", null, 0.8f, -1f, MatchOutcome.Match);

    private static FaceAnalysis Frame(float jitter, double yaw = 0, double eyes = 0.3)
    {
        float[] embedding = new float[FaceEmbedder.Dimensions];
        embedding[0] = 1;
        embedding[1] = jitter; // a camera frame differs a little from the last one
        float norm = MathF.Sqrt(1 + (jitter * jitter));
        embedding[0] /= norm;
        embedding[1] /= norm;
        return new FaceAnalysis
        {
            Refusal = FaceRefusal.None,
            Reason = "ok",
            Embedding = embedding,
            FivePoints = [new Point2f(40 + jitter * 10, 50), new Point2f(70, 50), new Point2f(55, 65), new Point2f(45, 80), new Point2f(65, 80)],
            Liveness = 0.9f,
            YawRatio = yaw,
            EyeOpenness = eyes,
        };
    }

    [Fact]
    public void The_same_picture_shown_again_refuses_at_once_though_it_matches()
    {
        MultiFrameDecision decision = new(new DecisionPolicy());
        FaceAnalysis still = Frame(0.1f);

        Assert.Equal(DecisionState.Collecting, decision.Add(still, Alice).State);
        GateDecision second = decision.Add(still, Alice);

        Assert.Equal(DecisionState.Refused, second.State);
        Assert.Contains("repeats the previous one", second.Reason);
    }

    [Fact]
    public void Frames_that_differ_like_a_camera_s_are_accepted()
    {
        MultiFrameDecision decision = new(new DecisionPolicy());
        decision.Add(Frame(0.10f), Alice);
        decision.Add(Frame(0.20f), Alice);
        Assert.Equal((DecisionState.Accepted, "alice"), (decision.Add(Frame(0.30f), Alice) is var d ? (d.State, d.Identity) : default));
    }

    [Fact]
    public void A_head_turn_challenge_waits_for_the_turn_and_refuses_a_face_that_never_turns()
    {
        DecisionPolicy policy = new(MaxFrames: 6) { Challenge = LivenessChallenge.TurnHead };
        MultiFrameDecision still = new(policy);
        GateDecision last = default!;
        for (int i = 0; i < 6; i++)
        {
            last = still.Add(Frame(0.1f * (i + 1), yaw: 0.02), Alice);
        }

        Assert.Equal(DecisionState.Refused, last.State);
        Assert.Contains("turn your head", last.Reason);

        MultiFrameDecision turning = new(policy);
        turning.Add(Frame(0.1f, yaw: 0.00), Alice);
        turning.Add(Frame(0.2f, yaw: 0.05), Alice);
        Assert.Equal(DecisionState.Collecting, turning.Add(Frame(0.3f, yaw: 0.08), Alice).State);
        Assert.Equal(DecisionState.Accepted, turning.Add(Frame(0.4f, yaw: 0.20), Alice).State);
    }

    [Fact]
    public void A_blink_challenge_needs_one_frame_with_the_eyes_closed()
    {
        MultiFrameDecision decision = new(new DecisionPolicy { Challenge = LivenessChallenge.Blink });
        decision.Add(Frame(0.1f, eyes: 0.31), Alice);
        decision.Add(Frame(0.2f, eyes: 0.30), Alice);
        Assert.Equal(DecisionState.Collecting, decision.Add(Frame(0.3f, eyes: 0.29), Alice).State);
        Assert.Equal(DecisionState.Accepted, decision.Add(Frame(0.4f, eyes: 0.12), Alice).State);
    }
}
