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
    /// <summary>The liveness crop sets compared in one run: the model's own 2.7x, and the lowest over several sizes.</summary>
    public static readonly float[][] ScaleSets = [[2.7f], [2.7f, 4.0f], [1.5f, 2.7f, 4.0f]];

    public static void Run(FacePipeline pipeline, IReadOnlyList<string> facesFolders, DecisionPolicy decision, string? saveFolder, TextWriter output)
    {
        float bar = decision.MinLiveness ?? 0.5f;
        List<string> photos = facesFolders
            .SelectMany(f => Directory.GetDirectories(Path.Combine(f, "people")).Order(StringComparer.Ordinal))
            .SelectMany(d => Directory.GetFiles(d).Where(Evaluation.IsImage).Order(StringComparer.Ordinal))
            .ToList();
        output.WriteLine($"liveness bar {bar:0.00}; an attack passes if the face is accepted with liveness ≥ the bar; halves = photos of even / odd index");
        foreach (float[] scales in ScaleSets)
        {
            FacePipelineOptions options = FacePipelineOptions.Gate with { AllowSeveralFaces = true, LivenessScales = scales };
            Counts[] halves = [new(), new()];
            List<string> passedLines = [];
            for (int i = 0; i < photos.Count; i++)
            {
                using Mat photo = Cv2.ImRead(photos[i], ImreadModes.Color);
                FaceAnalysis real = pipeline.Analyse(photo, options);
                if (!real.Accepted)
                {
                    continue;
                }

                Counts counts = halves[i % 2];
                counts.BonaFide++;
                counts.BonaFideRefused += PassesAsLive(real, bar) ? 0 : 1;
                foreach (SpoofKind kind in Enum.GetValues<SpoofKind>())
                {
                    using Mat spoof = SpoofSet.Make(photo, kind, seed: i + 1);
                    if (saveFolder is not null && scales.Length == 1)
                    {
                        Directory.CreateDirectory(Path.Combine(saveFolder, kind.ToString()));
                        Cv2.ImWrite(Path.Combine(saveFolder, kind.ToString(), $"{i:000}.jpg"), spoof);
                    }

                    FaceAnalysis a = pipeline.Analyse(spoof, options);
                    bool through = a.Accepted && PassesAsLive(a, bar);
                    counts.Add(kind, through, a.Accepted);
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

                counts.Replays++;
                counts.ReplaysPassed += last.State == DecisionState.Accepted ? 1 : 0;
            }

            Report(output, scales, halves, decision.FramesNeeded);
            foreach (string line in passedLines.Take(scales.Length == 1 ? 12 : 0))
            {
                output.WriteLine($"  passed as live: {line}");
            }
        }
    }

    private static void Report(TextWriter output, float[] scales, Counts[] halves, int framesNeeded)
    {
        Counts all = halves[0].Plus(halves[1]);
        string Split(Func<Counts, (int Part, int Whole)> pick) =>
            $"{Evaluation.Percent(pick(all).Part, pick(all).Whole)} ({pick(all).Part}/{pick(all).Whole}; halves {Evaluation.Percent(pick(halves[0]).Part, pick(halves[0]).Whole)} / {Evaluation.Percent(pick(halves[1]).Part, pick(halves[1]).Whole)})";
        output.WriteLine($"liveness crop {string.Join(" + ", scales.Select(s => $"{s:0.0}x"))} (lowest score counts): BPCER {Split(c => (c.BonaFideRefused, c.BonaFide))}");
        foreach (SpoofKind kind in Enum.GetValues<SpoofKind>())
        {
            output.WriteLine($"  {kind,-12} APCER {Split(c => (c.Passed[kind], c.Attacks[kind]))}; no face found in {all.NoFace[kind]}");
        }

        output.WriteLine($"  {"Replay",-12} APCER {Split(c => (c.ReplaysPassed, c.Replays))}; the same frame {framesNeeded} times");
    }

    private static bool PassesAsLive(FaceAnalysis a, float bar) => a.Liveness is float live && live >= bar;

    private sealed class Counts
    {
        public int BonaFide, BonaFideRefused, Replays, ReplaysPassed;
        public Dictionary<SpoofKind, int> Attacks { get; } = Enum.GetValues<SpoofKind>().ToDictionary(k => k, _ => 0);
        public Dictionary<SpoofKind, int> Passed { get; } = Enum.GetValues<SpoofKind>().ToDictionary(k => k, _ => 0);
        public Dictionary<SpoofKind, int> NoFace { get; } = Enum.GetValues<SpoofKind>().ToDictionary(k => k, _ => 0);

        public void Add(SpoofKind kind, bool passed, bool faceFound)
        {
            Attacks[kind]++;
            Passed[kind] += passed ? 1 : 0;
            NoFace[kind] += faceFound ? 0 : 1;
        }

        public Counts Plus(Counts other)
        {
            Counts sum = new()
            {
                BonaFide = BonaFide + other.BonaFide,
                BonaFideRefused = BonaFideRefused + other.BonaFideRefused,
                Replays = Replays + other.Replays,
                ReplaysPassed = ReplaysPassed + other.ReplaysPassed,
            };
            foreach (SpoofKind kind in Enum.GetValues<SpoofKind>())
            {
                sum.Attacks[kind] = Attacks[kind] + other.Attacks[kind];
                sum.Passed[kind] = Passed[kind] + other.Passed[kind];
                sum.NoFace[kind] = NoFace[kind] + other.NoFace[kind];
            }

            return sum;
        }
    }
}
