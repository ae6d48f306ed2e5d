using System.Globalization;
using OpenCvSharp;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// Issue 20, liveness over a burst: the planar-motion measure, pictures held up by hand through the
/// real pipeline, and the blink challenge on a real blink (landmark track of a GRID corpus video, CC BY 4.0:
/// edge-face-gate/face-bursts/SOURCES.md).
/// </summary>
public sealed class BurstLivenessTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    private static readonly MatchResult Self = new("person", null, 0.9f, -1f, MatchOutcome.Match);

    private static string Photo(string person, string file) => FaceTestData.Face(Path.Combine("people", person, file));

    [Fact]
    public void Landmarks_moved_by_one_homography_leave_no_non_planar_residual_and_a_nose_that_moved_alone_does()
    {
        Point2f[] face = Track().First().Landmarks!;
        using Mat tilt = HeldPictureBurst.PlaneHomography(new Size(360, 288), tiltXDegrees: 7, tiltYDegrees: -5, rollDegrees: 3, shiftX: 0.03, shiftY: -0.02, scale: 1.04);
        Point2f[] moved = Cv2.PerspectiveTransform(face, tilt);
        double eyes = PlanarMotion.EyeDistance(face);
        Point2f[] parallax = moved.Select((p, i) => i is >= 27 and <= 35 ? new Point2f(p.X + (float)(0.08 * eyes), p.Y) : p).ToArray();

        double planar = PlanarMotion.Residual(face, moved, PlanarMotion.WithoutMouth);
        double nonPlanar = PlanarMotion.Residual(face, parallax, PlanarMotion.WithoutMouth);
        output.WriteLine($"residual of a planar move {planar:E2}, with the nose 8 % of the eye distance aside {nonPlanar:P2}");

        Assert.True(planar < 1e-4, $"a homography is fitted exactly: {planar}");
        Assert.InRange(nonPlanar, 0.01, 0.08); // 9 of 48 points moved by 8 %: about 8 % · √(9/48) less what the fit absorbs
    }

    [Fact]
    public void The_same_frame_presented_again_is_refused_through_the_real_pipeline()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        using Mat frame = Cv2.ImRead(Photo("angelina_jolie", "deepface_img2.jpg"));
        MultiFrameDecision decision = new(new DecisionPolicy());
        FaceAnalysis first = pipeline.Analyse(frame, FacePipelineOptions.Gate);
        Assert.True(first.Accepted, first.Reason);

        Assert.Equal(DecisionState.Collecting, decision.Add(first, Self).State);
        GateDecision again = decision.Add(pipeline.Analyse(frame, FacePipelineOptions.Gate), Self);

        Assert.Equal(DecisionState.Refused, again.State);
        Assert.Contains("repeats the previous one", again.Reason);
    }

    [Fact]
    public void A_photo_held_up_by_hand_passes_the_model_but_not_the_blink_challenge_which_says_why()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        using Mat photo = Cv2.ImRead(Photo("george_clooney", "deepface_img38.jpg"));
        List<FaceAnalysis> burst = Analyse(pipeline, HeldPictureBurst.Make(photo, DecisionPolicy.ChallengeMaxFrames, seed: 11));
        Assert.True(burst.Count(f => f.Accepted) >= 30, $"faces found in {burst.Count(f => f.Accepted)} of {burst.Count} frames");

        GateDecision modelOnly = BurstEvaluation.Decide(new BurstEvaluation.Burst("Photo", "test", 0, burst), new DecisionPolicy(MaxFrames: DecisionPolicy.ChallengeMaxFrames));
        GateDecision blink = BurstEvaluation.Decide(new BurstEvaluation.Burst("Photo", "test", 0, burst), DecisionPolicy.WithChallenge("blink"));
        output.WriteLine($"model only: {modelOnly.State} ({modelOnly.Reason}); blink challenge: {blink.State} ({blink.Reason})");

        Assert.Equal(DecisionState.Accepted, modelOnly.State); // the single-frame model takes the held-up photo for a live face
        Assert.Equal(DecisionState.Refused, blink.State);
        Assert.StartsWith("blink once (challenge: the eyes closed to", blink.Reason);
    }

    [Fact]
    public void A_real_blink_meets_the_blink_challenge_and_the_same_live_face_before_it_does_not()
    {
        List<FaceAnalysis> track = Track();
        DecisionPolicy blink = DecisionPolicy.WithChallenge("blink");

        GateDecision withBlink = BurstEvaluation.Decide(new BurstEvaluation.Burst("BonaFide", "bbaf2n@36", 0, track.GetRange(36, 36)), blink);
        GateDecision beforeBlink = BurstEvaluation.Decide(new BurstEvaluation.Burst("BonaFide", "bbaf2n@0", 0, track.GetRange(0, 36)), blink);
        output.WriteLine($"frames 36–71: {withBlink.State} after {withBlink.Frames} ({withBlink.Reason}); frames 0–35: {beforeBlink.State} ({beforeBlink.Reason})");

        Assert.Equal(DecisionState.Accepted, withBlink.State);
        Assert.Equal(DecisionState.Refused, beforeBlink.State); // live, speaking, but no blink: the challenge is not met by chance
        Assert.StartsWith("blink once", beforeBlink.Reason);
    }

    [Fact]
    public void The_motion_cue_refuses_a_steadily_held_print_with_the_planar_reason()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        using Mat photo = Cv2.ImRead(Photo("angelina_jolie", "deepface_img4.jpg"));
        using Mat framed = SpoofSet.Make(photo, SpoofKind.FramedPhoto, seed: 3);
        List<FaceAnalysis> burst = Analyse(pipeline, HeldPictureBurst.Make(framed, 12, seed: 5));
        MotionEvidence evidence = PlanarMotion.Measure(burst.Where(f => f.Landmarks is not null).Select(f => f.Landmarks!).ToList());
        output.WriteLine($"non-planar {evidence.NonPlanarWithoutMouth:P2} without the mouth, moved {evidence.Moved:P1}, faces in {evidence.Frames} of 12");

        GateDecision decision = BurstEvaluation.Decide(new BurstEvaluation.Burst("FramedPhoto", "test", 0, burst), new DecisionPolicy(MaxFrames: 12, MinLiveness: null) { MinNonPlanar = 0.03 });

        Assert.Equal(DecisionState.Refused, decision.State);
        Assert.StartsWith("the face moves as one flat picture", decision.Reason);
    }

    private static List<FaceAnalysis> Analyse(FacePipeline pipeline, List<Mat> frames)
    {
        List<FaceAnalysis> result = frames.Select(f => pipeline.Analyse(f, FacePipelineOptions.Gate)).ToList();
        frames.ForEach(f => f.Dispose());
        return result;
    }

    /// <summary>
    /// The committed landmark track of bbaf2n.mpg (72 consecutive frames; blinks at about frames 42–44 and
    /// 50–53) as the pipeline's analyses; the embedding is not in the track, so each frame gets its own.
    /// </summary>
    private static List<FaceAnalysis> Track()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "grid-bbaf2n-landmarks.csv"));
        string[] header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        List<FaceAnalysis> frames = [];
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            double Number(string name) => double.Parse(cells[Column(name)], CultureInfo.InvariantCulture);
            Point2f[] points = Enumerable.Range(0, 68).Select(i => new Point2f((float)Number($"x{i}"), (float)Number($"y{i}"))).ToArray();
            float[] embedding = new float[FaceEmbedder.Dimensions];
            embedding[frames.Count % FaceEmbedder.Dimensions] = 1; // a camera frame never repeats the previous one exactly
            frames.Add(new FaceAnalysis
            {
                Refusal = FaceRefusal.None,
                Reason = "ok",
                Landmarks = points,
                FivePoints = LandmarkLocator.FivePoints(points),
                Embedding = embedding,
                Liveness = (float)Number("liveness"),
                EyeOpenness = Number("eye_openness"),
                YawRatio = Number("yaw"),
            });
        }

        return frames;
    }
}
