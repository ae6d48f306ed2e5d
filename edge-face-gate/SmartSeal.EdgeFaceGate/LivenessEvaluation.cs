using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// evaluate-liveness: the people photos are the bona fide presentations; every <see cref="SpoofKind"/>
/// is made from each of them, plus a replay (the same frame three times through the multi-frame
/// decision). APCER per attack type = attacks passed as live / attacks; BPCER = bona fide refused as
/// spoofs / bona fide (ISO/IEC 30107-3), at the gate's liveness bar.
/// </summary>
public static class LivenessEvaluation
{
    public static void Run(FacePipeline pipeline, IReadOnlyList<string> facesFolders, DecisionPolicy decision, string? saveFolder, TextWriter output)
    {
        float bar = decision.MinLiveness ?? 0.5f;
        FacePipelineOptions options = FacePipelineOptions.Gate with { AllowSeveralFaces = true };
        List<string> photos = facesFolders
            .SelectMany(f => Directory.GetDirectories(Path.Combine(f, "people")).Order(StringComparer.Ordinal))
            .SelectMany(d => Directory.GetFiles(d).Where(Evaluation.IsImage).Order(StringComparer.Ordinal))
            .ToList();
        int bonaFide = 0, bonaFideRefused = 0;
        Dictionary<SpoofKind, (int Attacks, int Passed, int NoFace)> attacks = Enum.GetValues<SpoofKind>().ToDictionary(k => k, _ => (0, 0, 0));
        int replays = 0, replaysPassed = 0;
        List<string> passedLines = [];
        for (int i = 0; i < photos.Count; i++)
        {
            using Mat photo = Cv2.ImRead(photos[i], ImreadModes.Color);
            FaceAnalysis real = pipeline.Analyse(photo, options);
            if (!real.Accepted)
            {
                continue;
            }

            bonaFide++;
            bonaFideRefused += PassesAsLive(real, bar) ? 0 : 1;
            foreach (SpoofKind kind in Enum.GetValues<SpoofKind>())
            {
                using Mat spoof = SpoofSet.Make(photo, kind, seed: i + 1);
                if (saveFolder is not null)
                {
                    Directory.CreateDirectory(Path.Combine(saveFolder, kind.ToString()));
                    Cv2.ImWrite(Path.Combine(saveFolder, kind.ToString(), $"{i:000}.jpg"), spoof);
                }

                FaceAnalysis a = pipeline.Analyse(spoof, options);
                (int n, int passed, int noFace) = attacks[kind];
                bool through = a.Accepted && PassesAsLive(a, bar);
                attacks[kind] = (n + 1, passed + (through ? 1 : 0), noFace + (a.Accepted ? 0 : 1));
                if (through)
                {
                    passedLines.Add($"{kind} of {Path.GetFileName(Path.GetDirectoryName(photos[i]))}/{Path.GetFileName(photos[i])}: liveness {a.Liveness:0.000}");
                }
            }

            // Replay: the identical frame three times, matched to its own person.
            MultiFrameDecision frames = new(decision);
            MatchResult self = new("person", null, 0.9f, -1f, MatchOutcome.Match);
            GateDecision last = default!;
            for (int f = 0; f < decision.FramesNeeded; f++)
            {
                last = frames.Add(real, self);
            }

            replays++;
            replaysPassed += last.State == DecisionState.Accepted ? 1 : 0;
        }

        output.WriteLine($"liveness bar {bar:0.00}; bona fide photos {bonaFide}: BPCER {Evaluation.Percent(bonaFideRefused, bonaFide)} ({bonaFideRefused})");
        foreach ((SpoofKind kind, (int n, int passed, int noFace)) in attacks)
        {
            output.WriteLine($"  {kind,-12} APCER {Evaluation.Percent(passed, n)} ({passed}/{n}; no face found in {noFace})");
        }

        output.WriteLine($"  {"Replay",-12} APCER {Evaluation.Percent(replaysPassed, replays)} ({replaysPassed}/{replays}; the same frame {decision.FramesNeeded} times)");
        foreach (string line in passedLines.Take(12))
        {
            output.WriteLine($"  passed as live: {line}");
        }
    }

    private static bool PassesAsLive(FaceAnalysis a, float bar) => a.Liveness is float live && live >= bar;
}
