using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// evaluate-bursts: liveness over bursts of frames, as the gate decides it (<see cref="MultiFrameDecision"/>).
/// Bona fide bursts are consecutive frames of real video of live people (a folder of video files, cut
/// into overlapping bursts of <see cref="BurstFrames"/> frames); attack bursts are every people photo
/// and each of its <see cref="SpoofSet"/> attacks held up by hand (<see cref="HeldPictureBurst"/>), plus
/// the bona fide videos replayed on a screen that is held up by hand. Every frame with an accepted face
/// is matched to its own person, so what decides is liveness alone. APCER per attack type and BPCER
/// (ISO/IEC 30107-3) for each rule of <see cref="Rules"/>: the gate's default, the passive motion cue at
/// three bars, and the blink and head-turn challenges.
/// </summary>
public static class BurstEvaluation
{
    /// <summary>Attack types of the burst set: the SpoofSet kinds, the plain photo, and video replayed on a screen.</summary>
    public static readonly string[] AttackTypes = ["Photo", .. Enum.GetNames<SpoofKind>(), "VideoReplay"];

    private static readonly MatchResult Self = new("person", null, 0.9f, -1f, MatchOutcome.Match);

    /// <summary>One burst; <paramref name="Blinks"/>: a bona fide burst that holds a whole blink seen by eye (face-bursts/blinks.csv), null when not annotated.</summary>
    public sealed record Burst(string Type, string Source, int Half, List<FaceAnalysis> Frames, bool? Blinks = null);

    /// <summary>Frames per burst: as many as a gate with an active challenge waits (<see cref="DecisionPolicy.ChallengeMaxFrames"/>, 1.4 s of the 25 frames/s videos).</summary>
    public const int BurstFrames = DecisionPolicy.ChallengeMaxFrames;

    /// <summary>Bona fide bursts start every this many frames of a video (overlapping: 4 of 36 frames from a 75-frame video).</summary>
    public const int BonaFideStep = 12;

    public static void Run(FacePipeline pipeline, IReadOnlyList<string> facesFolders, string videosFolder, TextWriter output, int photoStride = 1, string? dumpFile = null)
    {
        FacePipelineOptions options = FacePipelineOptions.Gate;
        List<Burst> bursts = [];
        List<string> videos = Directory.Exists(videosFolder)
            ? Directory.GetFiles(videosFolder).Where(IsVideo).Order(StringComparer.Ordinal).ToList()
            : [];
        if (videos.Count == 0)
        {
            output.WriteLine($"no bona fide video in {videosFolder}: BPCER cannot be measured (edge-face-gate/face-bursts/SOURCES.md says where the videos come from)");
        }

        string blinksFile = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "face-bursts", "blinks.csv");
        List<(string File, int First, int Last)> blinks = File.Exists(blinksFile)
            ? File.ReadAllLines(blinksFile).Where(l => !l.StartsWith('#') && !l.StartsWith("file,", StringComparison.Ordinal) && l.Length > 0)
                .Select(l => l.Split(',')).Select(c => (c[0], int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture))).ToList()
            : [];
        for (int v = 0; v < videos.Count; v++)
        {
            List<Mat> frames = ReadVideo(videos[v]);
            List<FaceAnalysis> analysed = frames.Select(f => pipeline.Analyse(f, options)).ToList();
            for (int start = 0; start + BurstFrames <= frames.Count; start += BonaFideStep)
            {
                string source = $"{Path.GetFileName(videos[v])}@{start}";
                string file = Path.GetFileName(videos[v]);
                bool blink = blinks.Any(b => b.File == file && b.First >= start && b.Last < start + BurstFrames);
                bursts.Add(new Burst("BonaFide", source, v % 2, analysed.GetRange(start, BurstFrames), blinks.Count > 0 ? blink : null));
                if (start % BurstFrames == 0)
                {
                    // The same frames replayed on a phone held up by hand (not overlapping, so each replay is new).
                    List<Mat> replay = frames.GetRange(start, BurstFrames).Select(f => SpoofSet.Make(f, SpoofKind.ScreenMoire, seed: start + 1)).ToList();
                    List<Mat> held = HeldPictureBurst.Make(replay, seed: (v * 1000) + start + 1);
                    bursts.Add(new Burst("VideoReplay", source, v % 2, held.Select(f => pipeline.Analyse(f, options)).ToList()));
                    Dispose(replay);
                    Dispose(held);
                }
            }

            output.WriteLine($"video {Path.GetFileName(videos[v])}: {frames.Count} frames, faces accepted in {analysed.Count(a => a.Accepted)}");
            Dispose(frames);
        }

        List<string> photos = facesFolders
            .SelectMany(f => Directory.GetDirectories(Path.Combine(f, "people")).Order(StringComparer.Ordinal))
            .SelectMany(d => Directory.GetFiles(d).Where(Evaluation.IsImage).Order(StringComparer.Ordinal))
            .Where((_, i) => i % photoStride == 0)
            .ToList();
        for (int i = 0; i < photos.Count; i++)
        {
            using Mat photo = Cv2.ImRead(photos[i], ImreadModes.Color);
            string source = $"{Path.GetFileName(Path.GetDirectoryName(photos[i]))}/{Path.GetFileName(photos[i])}";
            foreach (string type in AttackTypes.Where(t => t != "VideoReplay"))
            {
                using Mat picture = type == "Photo" ? photo.Clone() : SpoofSet.Make(photo, Enum.Parse<SpoofKind>(type), seed: i + 1);
                List<Mat> held = HeldPictureBurst.Make(picture, BurstFrames, seed: (i * 10) + Array.IndexOf(AttackTypes, type) + 1);
                bursts.Add(new Burst(type, source, i % 2, held.Select(f => pipeline.Analyse(f, options)).ToList()));
                Dispose(held);
            }
        }

        if (dumpFile is not null)
        {
            Dump(bursts, dumpFile);
        }

        Report(bursts, output);
    }

    /// <summary>One CSV line per frame: residuals against the burst's first face, the planar shift, eye openness and yaw (for calibrating the noise floor).</summary>
    private static void Dump(List<Burst> bursts, string file)
    {
        using StreamWriter writer = new(file);
        writer.WriteLine("type,source,half,frame,accepted,liveness,residual_all,residual_without_mouth,moved,eye_openness,yaw," + string.Join(',', Enumerable.Range(0, 68).Select(i => $"x{i},y{i}")));
        foreach (Burst burst in bursts)
        {
            Point2f[]? first = null;
            for (int k = 0; k < burst.Frames.Count; k++)
            {
                FaceAnalysis f = burst.Frames[k];
                string r = "";
                if (f.Landmarks is { } now)
                {
                    first ??= now;
                    r = FormattableString.Invariant($"{PlanarMotion.Residual(first, now, PlanarMotion.AllPoints):0.00000},{PlanarMotion.Residual(first, now, PlanarMotion.WithoutMouth):0.00000},{PlanarMotion.Shift(first, now):0.00000}");
                }
                else
                {
                    r = ",,";
                }

                writer.WriteLine(FormattableString.Invariant($"{burst.Type},{burst.Source},{burst.Half},{k},{f.Accepted},{f.Liveness:0.0000},{r},{f.EyeOpenness:0.0000},{f.YawRatio:0.0000},") + (f.Landmarks is { } points ? string.Join(',', points.Select(p => FormattableString.Invariant($"{p.X:0.00},{p.Y:0.00}"))) : string.Join(',', Enumerable.Repeat(string.Empty, 136))));
            }
        }
    }

    /// <summary>The rules compared: the gate's default, the passive motion cue at three bars, and the two active challenges.</summary>
    public static IReadOnlyList<(string Name, DecisionPolicy Policy)> Rules()
    {
        DecisionPolicy basic = new(MaxFrames: BurstFrames);
        return
        [
            ("gate default: liveness model ≥ 0.5 over 3 matched frames, a repeated frame refuses", basic),
            .. new[] { 0.02, 0.03, 0.04 }.Select(bar => ($"default + passive motion cue: non-planar motion ≥ {bar:P0} of the eye distance (without the mouth)", basic with { MinNonPlanar = bar })),
            ("passive motion cue ≥ 3 % alone (model off)", basic with { MinNonPlanar = 0.03, MinLiveness = null }),
            ("default + blink challenge (--challenge blink)", DecisionPolicy.WithChallenge("blink")),
            ("blink challenge alone (model off)", DecisionPolicy.WithChallenge("blink") with { MinLiveness = null }),
            ("default + head-turn challenge (--challenge turn-head)", DecisionPolicy.WithChallenge("turn-head")),
        ];
    }

    public static void Report(List<Burst> bursts, TextWriter output)
    {
        output.WriteLine($"{bursts.Count} bursts of {BurstFrames} frames; a burst passes if the gate's decision over it accepts (every accepted face matched to itself)");
        output.WriteLine("non-planar motion per burst (second-largest residual after the best planar fit to the first frame, in eye distances; median [5 %, 95 %]):");
        foreach (string type in bursts.Select(b => b.Type).Distinct())
        {
            List<Burst> ofType = bursts.Where(b => b.Type == type).ToList();
            List<MotionEvidence> evidence = ofType.Select(b => PlanarMotion.Measure(b.Frames.Where(f => f.Landmarks is not null).Select(f => f.Landmarks!).ToList())).ToList();
            output.WriteLine($"  {type,-12} {ofType.Count,4} bursts, faces in {ofType.Average(b => b.Frames.Count(f => f.Accepted)):0.0} of {BurstFrames} frames; all 68 points {Spread(evidence.Select(e => e.NonPlanar))}; without the mouth {Spread(evidence.Select(e => e.NonPlanarWithoutMouth))}; moved {Spread(evidence.Select(e => e.Moved))}");
        }

        foreach ((string name, DecisionPolicy policy) in Rules())
        {
            Table(output, name, bursts, policy);
        }
    }

    private static void Table(TextWriter output, string name, List<Burst> bursts, DecisionPolicy policy)
    {
        output.WriteLine(name + ":");
        foreach (string type in bursts.Select(b => b.Type).Distinct())
        {
            List<Burst> ofType = bursts.Where(b => b.Type == type).ToList();
            int[] passed = [0, 0], total = [0, 0];
            List<string> reasons = [];
            foreach (Burst burst in ofType)
            {
                GateDecision last = Decide(burst, policy);
                bool accepted = last.State == DecisionState.Accepted;
                total[burst.Half]++;
                passed[burst.Half] += accepted ? 1 : 0;
                if (type == "BonaFide" && !accepted)
                {
                    reasons.Add(last.Reason);
                }
            }

            string measure = type == "BonaFide" ? "BPCER" : "APCER";
            int part = type == "BonaFide" ? total.Sum() - passed.Sum() : passed.Sum();
            int[] halves = type == "BonaFide" ? [total[0] - passed[0], total[1] - passed[1]] : passed;
            output.WriteLine($"  {type,-12} {measure} {Evaluation.Percent(part, total.Sum())} ({part}/{total.Sum()}; halves {Evaluation.Percent(halves[0], total[0])} / {Evaluation.Percent(halves[1], total[1])})");
            foreach (IGrouping<string, string> reason in reasons.GroupBy(r => r.Split(" (")[0]).OrderByDescending(g => g.Count()))
            {
                output.WriteLine($"      refused {reason.Count()}x: {reason.Key}");
            }

            if (type == "BonaFide" && ofType.Any(b => b.Blinks is not null))
            {
                // What a challenge should be judged on: the bursts in which the person did blink (a person asked to blink does).
                foreach (bool blinked in new[] { true, false })
                {
                    List<Burst> annotated = ofType.Where(b => b.Blinks == blinked).ToList();
                    int refused = annotated.Count(b => Decide(b, policy).State != DecisionState.Accepted);
                    output.WriteLine($"      bursts {(blinked ? "with" : "without")} a blink seen by eye: {refused} of {annotated.Count} refused ({Evaluation.Percent(refused, annotated.Count)}), from {annotated.Select(b => b.Source.Split('@')[0]).Distinct().Count()} videos");
                }
            }
        }
    }

    /// <summary>The gate's decision over the burst; a fresh run starts after each conclusion, and the burst passes if any conclusion accepted.</summary>
    public static GateDecision Decide(Burst burst, DecisionPolicy policy)
    {
        MultiFrameDecision decision = new(policy);
        GateDecision last = new(DecisionState.Collecting, null, 0, 0, null, 0, "no frames");
        foreach (FaceAnalysis frame in burst.Frames)
        {
            last = decision.Add(frame, frame.Accepted ? Self : null);
            if (last.State == DecisionState.Accepted)
            {
                return last;
            }

            if (last.State == DecisionState.Refused)
            {
                decision = new MultiFrameDecision(policy);
            }
        }

        return last.State == DecisionState.Collecting ? last with { State = DecisionState.Refused } : last;
    }

    private static string Spread(IEnumerable<double> values)
    {
        List<double> sorted = values.Order().ToList();
        double At(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
        return $"{At(0.5):P1} [{At(0.05):P1}, {At(0.95):P1}]";
    }

    public static bool IsVideo(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".mpg" or ".mpeg" or ".mp4" or ".avi" or ".mkv" or ".webm" or ".mov";

    /// <summary>Every frame of a video file (OpenCV VideoCapture); an unreadable file is an error, not an empty burst.</summary>
    public static List<Mat> ReadVideo(string path)
    {
        using VideoCapture capture = new(path);
        if (!capture.IsOpened())
        {
            throw new IOException($"cannot open the video {path}");
        }

        List<Mat> frames = [];
        while (true)
        {
            Mat frame = new();
            if (!capture.Read(frame) || frame.Empty())
            {
                frame.Dispose();
                break;
            }

            frames.Add(frame);
        }

        return frames.Count > 0 ? frames : throw new IOException($"no frame could be decoded from {path}");
    }

    private static void Dispose(List<Mat> mats)
    {
        foreach (Mat m in mats)
        {
            m.Dispose();
        }
    }
}
