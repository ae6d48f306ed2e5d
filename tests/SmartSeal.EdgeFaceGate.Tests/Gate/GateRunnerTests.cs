using OpenCvSharp;
using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate.Tests.Gate;

/// <summary>The gate loop without a cloud link: decisions from frames against a synced template set.</summary>
public sealed class GateRunnerTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    private static string Angelina(string file) => FaceTestData.Face(Path.Combine("people", "angelina_jolie", file));

    /// <summary>Replays files (any number of times) and then reports a camera that went away.</summary>
    private sealed class ScriptedSource(string[] files, int disconnects = 0) : IFrameSource
    {
        private int _next;
        private int _disconnects = disconnects;

        public string Description => "scripted";

        public FrameRead Read()
        {
            if (_next < files.Length)
            {
                string file = files[_next++];
                return FrameRead.Of(Cv2.ImRead(file), Path.GetFileName(file));
            }

            return _disconnects-- > 0 ? new FrameRead(FrameStatus.Disconnected, null, "camera unplugged") : new FrameRead(FrameStatus.End, null, string.Empty);
        }

        public void Dispose()
        {
        }
    }

    private GateRunner Runner(FacePipeline pipeline, GateStatus status, string? cabinet, params string[] enrolment)
    {
        var runner = new GateRunner(pipeline, null, status, new GateRunnerOptions { ReconnectPause = TimeSpan.Zero }, TimeProvider.System, output.WriteLine);
        GatePerson[] people = enrolment.Length == 0 ? [] :
            [new GatePerson("li.na", long.MaxValue, enrolment.Select(f => TemplateCodec.Encode(pipeline.AnalyseFile(f, FacePipelineOptions.Enrolment).Embedding!)).ToArray())];
        runner.ApplyTemplates(new GateTemplateSet { GateId = "gate-01", CabinetId = cabinet, Recipe = FaceRecipe.Version, ValidUntilMs = long.MaxValue, People = people });
        return runner;
    }

    [Fact]
    public async Task A_person_standing_at_the_gate_is_reported_once_and_a_lost_camera_gives_no_decision()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        var status = new GateStatus();
        GateRunner runner = Runner(pipeline, status, "cab-01", Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg"));
        string[] frames = [Angelina("deepface_img2.jpg"), Angelina("deepface_img4.jpg"), Angelina("deepface_img5.jpg")];
        IReadOnlyList<DecisionLogEntry> decisions = await runner.RunAsync(new ScriptedSource([.. frames, .. frames, .. frames], disconnects: 3), CancellationToken.None);

        DecisionLogEntry only = Assert.Single(decisions);
        Assert.Equal((DecisionState.Accepted, "li.na", 3), (only.State, only.Subject, only.Frames));
        Assert.Equal(9, status.Frames);
        Assert.Equal("ended", status.InputState);
        Assert.Equal((1, 2), (status.GalleryPeople, status.GalleryTemplates));
    }

    [Fact]
    public async Task A_stranger_or_a_gate_without_a_cabinet_gets_a_refusal_never_an_acceptance()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        string[] stranger = ["deepface_img47.jpg", "deepface_img48.jpg", "deepface_img49.jpg", "deepface_img50.jpg", "deepface_img8.jpg", "deepface_img9.jpg", "deepface_img51.jpg", "deepface_img47.jpg"];
        IReadOnlyList<DecisionLogEntry> refused = await Runner(pipeline, new GateStatus(), "cab-01", Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg"))
            .RunAsync(new ScriptedSource(stranger.Select(f => FaceTestData.Face(Path.Combine("people", "scarlett_johansson", f))).ToArray()), CancellationToken.None);
        DecisionLogEntry decision = Assert.Single(refused);
        Assert.Equal(DecisionState.Refused, decision.State);
        Assert.Null(decision.Subject);

        IReadOnlyList<DecisionLogEntry> noCabinet = await Runner(pipeline, new GateStatus(), null, Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg"))
            .RunAsync(new ScriptedSource([Angelina("deepface_img2.jpg"), Angelina("deepface_img4.jpg"), Angelina("deepface_img5.jpg")]), CancellationToken.None);
        Assert.Equal((DecisionState.Refused, "the gate serves no cabinet"), (Assert.Single(noCabinet).State, noCabinet[0].Reason));
    }
}
