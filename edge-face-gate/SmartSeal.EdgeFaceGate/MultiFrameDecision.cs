using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>Frames needed and the liveness the gate asks for (advisory: null turns the check off).</summary>
public sealed record DecisionPolicy(int FramesNeeded = 3, int MaxFrames = 8, float? MinLiveness = 0.5f);

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
/// name the same person (any other identity resets the run) and their mean liveness is high enough;
/// refuses once <see cref="DecisionPolicy.MaxFrames"/> frames passed without that.
/// </summary>
public sealed class MultiFrameDecision(DecisionPolicy policy)
{
    private readonly List<(MatchResult Match, float? Liveness)> _run = [];
    private int _frames;
    private string _lastReason = "no frames yet";

    public GateDecision Add(FaceAnalysis analysis, MatchResult? match)
    {
        _frames++;
        if (!analysis.Accepted || match is null || match.Outcome != MatchOutcome.Match)
        {
            _run.Clear();
            _lastReason = !analysis.Accepted ? analysis.Reason : match is null ? "no match" : $"{match.Outcome.ToString().ToLowerInvariant()} (score {match.Score:0.00}, margin {match.Margin:0.00})";
        }
        else
        {
            if (_run.Count > 0 && _run[0].Match.Identity != match.Identity)
            {
                _run.Clear();
            }

            _run.Add((match, analysis.Liveness));
        }

        if (_run.Count >= policy.FramesNeeded)
        {
            float meanScore = (float)_run.Average(r => r.Match.Score);
            float minMargin = _run.Min(r => r.Match.Margin);
            float? meanLiveness = _run.All(r => r.Liveness.HasValue) ? (float)_run.Average(r => r.Liveness!.Value) : null;
            if (policy.MinLiveness is float needed && (meanLiveness is null || meanLiveness < needed))
            {
                _lastReason = $"liveness {meanLiveness:0.00} below {needed:0.00}";
                _run.Clear();
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
}
