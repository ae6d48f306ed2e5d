using System.Numerics.Tensors;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>What a gate may ask of the person besides standing there (from the 68 landmarks); off by default.</summary>
public enum LivenessChallenge
{
    None,
    /// <summary>The nose must move sideways against the eyes (yaw ratio span ≥ <see cref="DecisionPolicy.MinYawSpan"/>): a flat picture keeps its ratio.</summary>
    TurnHead,
    /// <summary>The eyes must close in one frame of the run (eye aspect ratio at most <see cref="DecisionPolicy.BlinkRatio"/> of the run's median).</summary>
    Blink,
}

/// <summary>Frames needed and the liveness the gate asks for (advisory: null turns the model check off).</summary>
public sealed record DecisionPolicy(int FramesNeeded = 3, int MaxFrames = 8, float? MinLiveness = 0.5f)
{
    public LivenessChallenge Challenge { get; init; }

    /// <summary>Two frames whose embeddings agree this closely, at the same landmarks, are one picture shown twice: a camera never repeats a frame.</summary>
    public float RepeatCosine { get; init; } = 0.999f;

    public double MinYawSpan { get; init; } = 0.15;

    /// <summary>
    /// A blink: one frame's eye aspect ratio at most this share of the run's median. 0.75 (README "Active
    /// challenge"): real blinks in video of live people reached 0.54–0.74; no planar attack burst went below
    /// 0.80 but one (0.70). Relative to the median, not the widest frame, so one frame of landmark noise
    /// does not set the reference.
    /// </summary>
    public double BlinkRatio { get; init; } = 0.75;

    /// <summary>
    /// Non-planar motion the matched frames must show (<see cref="PlanarMotion"/>: residual after the best
    /// planar fit, second-largest over the run, in eye distances); null turns the motion cue off. The
    /// run goes on collecting until <see cref="MaxFrames"/> while the motion is still planar.
    /// </summary>
    public double? MinNonPlanar { get; init; }

    /// <summary>Which landmarks the motion cue fits (<see cref="PlanarMotion.WithoutMouth"/> by default: a person at a gate does not speak).</summary>
    public int[] MotionPoints { get; init; } = PlanarMotion.WithoutMouth;

    /// <summary>
    /// The gate's policy with the active challenge a gate chose (<c>run --challenge none|blink|turn-head</c>):
    /// a challenge gives the person up to <see cref="ChallengeMaxFrames"/> frames (about 1.5 s at 24 frames/s).
    /// </summary>
    public static DecisionPolicy WithChallenge(string challenge) => challenge switch
    {
        "none" => new DecisionPolicy(),
        "blink" => new DecisionPolicy(MaxFrames: ChallengeMaxFrames) { Challenge = LivenessChallenge.Blink },
        "turn-head" => new DecisionPolicy(MaxFrames: ChallengeMaxFrames) { Challenge = LivenessChallenge.TurnHead },
        _ => throw new ArgumentException($"--challenge {challenge}: use none, blink or turn-head"),
    };

    public const int ChallengeMaxFrames = 36;
}

public enum DecisionState
{
    Collecting,
    Accepted,
    Refused,
}

/// <summary>The decision over a run of frames: who (or why not), with the evidence the cloud records.</summary>
public sealed record GateDecision(DecisionState State, string? Identity, float MeanScore, float MinMargin, float? MeanLiveness, int Frames, string Reason);

/// <summary>
/// Combines frames: accepts when <see cref="DecisionPolicy.FramesNeeded"/> consecutive matched frames
/// name the same person (any other identity resets the run), their mean liveness is high enough and
/// the challenge, if any, was met; refuses at once when a frame repeats the previous one (a still
/// picture or replayed frames), and once <see cref="DecisionPolicy.MaxFrames"/> frames passed without acceptance.
/// </summary>
public sealed class MultiFrameDecision(DecisionPolicy policy)
{
    private readonly List<(MatchResult Match, FaceAnalysis Analysis)> _run = [];
    private readonly List<double> _residuals = []; // each run frame against the run's first, by PlanarMotion.Residual
    private FaceAnalysis? _previous;
    private int _frames;
    private string _lastReason = "no frames yet";

    public GateDecision Add(FaceAnalysis analysis, MatchResult? match)
    {
        _frames++;
        if (_previous is not null && Repeats(_previous, analysis))
        {
            ClearRun();
            return new GateDecision(DecisionState.Refused, null, 0, 0, null, _frames, "a frame repeats the previous one exactly (a still picture or replayed frames)");
        }

        if (analysis.Accepted)
        {
            _previous = analysis;
        }

        if (!analysis.Accepted || match is null || match.Outcome != MatchOutcome.Match)
        {
            ClearRun();
            _lastReason = !analysis.Accepted ? analysis.Reason : match is null ? "no match" : $"{match.Outcome.ToString().ToLowerInvariant()} (score {match.Score:0.00}, margin {match.Margin:0.00})";
        }
        else
        {
            if (_run.Count > 0 && _run[0].Match.Identity != match.Identity)
            {
                ClearRun();
            }

            _run.Add((match, analysis));
            if (policy.MinNonPlanar is not null && _run.Count > 1)
            {
                _residuals.Add(_run[0].Analysis.Landmarks is { } first && analysis.Landmarks is { } now ? PlanarMotion.Residual(first, now, policy.MotionPoints) : 0);
            }
        }

        if (_run.Count >= policy.FramesNeeded)
        {
            List<(MatchResult Match, FaceAnalysis Analysis)> recent = _run.TakeLast(policy.FramesNeeded).ToList();
            float meanScore = (float)recent.Average(r => r.Match.Score);
            float minMargin = recent.Min(r => r.Match.Margin);
            float? meanLiveness = recent.All(r => r.Analysis.Liveness.HasValue) ? (float)recent.Average(r => r.Analysis.Liveness!.Value) : null;
            if (policy.MinLiveness is float needed && meanLiveness is null)
            {
                _lastReason = "no liveness score for these frames";
                ClearRun();
            }
            else if (policy.MinLiveness is float minimum && meanLiveness < minimum)
            {
                _lastReason = $"liveness {meanLiveness:0.00} below {minimum:0.00}";
                ClearRun();
            }
            else if (PlanarSoFar() is string planar)
            {
                _lastReason = planar; // the run goes on: a live face shows non-planar motion within a few frames
            }
            else if (ChallengeMissing() is string waiting)
            {
                _lastReason = waiting; // the run goes on: the person may still turn or blink
            }
            else
            {
                return new GateDecision(DecisionState.Accepted, _run[0].Match.Identity, meanScore, minMargin, meanLiveness, _frames, "matched");
            }
        }

        return _frames >= policy.MaxFrames
            ? new GateDecision(DecisionState.Refused, null, 0, 0, null, _frames, _lastReason)
            : new GateDecision(DecisionState.Collecting, null, 0, 0, null, _frames, _lastReason);
    }

    private void ClearRun()
    {
        _run.Clear();
        _residuals.Clear();
    }

    /// <summary>The refusal reason while the run's frames still move like one flat picture; null once they do not (or the cue is off).</summary>
    private string? PlanarSoFar()
    {
        if (policy.MinNonPlanar is not double needed)
        {
            return null;
        }

        double evidence = MotionEvidence.SecondLargest(_residuals);
        return evidence >= needed ? null
            : $"the face moves as one flat picture (non-planar motion {evidence:P1} of the eye distance over {_run.Count} frames, needs {needed:P1}): a photo or a screen, or a face held perfectly still";
    }

    private string? ChallengeMissing()
    {
        switch (policy.Challenge)
        {
            case LivenessChallenge.TurnHead:
                List<double> yaw = _run.Select(r => r.Analysis.YawRatio).OfType<double>().ToList();
                double span = yaw.Count > 0 ? yaw.Max() - yaw.Min() : 0;
                return span >= policy.MinYawSpan ? null
                    : $"turn your head a little to one side (challenge: the yaw ratio moved {span:0.00} over {_run.Count} frames, needs {policy.MinYawSpan:0.00}; a flat picture keeps it)";
            case LivenessChallenge.Blink:
                List<double> eyes = _run.Select(r => r.Analysis.EyeOpenness).OfType<double>().Order().ToList();
                double closest = eyes.Count > 0 ? eyes[0] / Math.Max(eyes[eyes.Count / 2], 1e-6) : 1;
                return closest <= policy.BlinkRatio ? null
                    : $"blink once (challenge: the eyes closed to {closest:P0} of their usual opening at most over {_run.Count} frames, needs {policy.BlinkRatio:P0}; a picture cannot blink)";
            default:
                return null;
        }
    }

    /// <summary>Same landmarks to a tenth of a pixel and the same embedding: the same picture again, not a new camera frame.</summary>
    private bool Repeats(FaceAnalysis previous, FaceAnalysis current)
    {
        if (previous.Embedding is null || current.Embedding is null || previous.FivePoints is null || current.FivePoints is null)
        {
            return false;
        }

        for (int i = 0; i < current.FivePoints.Length; i++)
        {
            if (Math.Abs(previous.FivePoints[i].X - current.FivePoints[i].X) > 0.1f || Math.Abs(previous.FivePoints[i].Y - current.FivePoints[i].Y) > 0.1f)
            {
                return false;
            }
        }

        return TensorPrimitives.Dot(previous.Embedding, current.Embedding) >= policy.RepeatCosine;
    }
}
