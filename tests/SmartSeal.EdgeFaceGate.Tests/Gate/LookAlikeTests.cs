using OpenCvSharp;
using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate.Tests.Gate;

/// <summary>
/// Issue 20: a look-alike who is not enrolled must not open the gate. Kate Siegel is enrolled;
/// Angelina Jolie is not, and her photos score about 0.5 against Kate's (the hardest impostor pair of
/// the enlarged evaluation set), above the old threshold of 0.45.
/// </summary>
public sealed class LookAlikeTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    private static string EvalFace(string relative) =>
        Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", "people", relative);

    private static readonly string[] LookAlikeFrames =
    [
        EvalFace("angelina_jolie/facenet_pytorch_1.jpg"),
        FaceTestData.Face("people/angelina_jolie/deepface_img10.jpg"),
        FaceTestData.Face("people/angelina_jolie/deepface_img5.jpg"),
        FaceTestData.Face("people/angelina_jolie/deepface_img7.jpg"),
    ];

    private sealed class Frames(string[] files) : IFrameSource
    {
        private int _next;

        public string Description => "look-alike frames";

        public FrameRead Read() => _next < files.Length
            ? FrameRead.Of(Cv2.ImRead(files[_next]), Path.GetFileName(files[_next++]))
            : new FrameRead(FrameStatus.End, null, string.Empty);

        public void Dispose()
        {
        }
    }

    private async Task<DecisionLogEntry> PresentAsync(FacePipeline pipeline, MatchPolicy policy)
    {
        var runner = new GateRunner(pipeline, null, new GateStatus(), new GateRunnerOptions { Match = policy }, TimeProvider.System, output.WriteLine);
        float[] kate = pipeline.AnalyseFile(EvalFace("kate_siegel/facenet_pytorch_1.jpg"), FacePipelineOptions.Enrolment).Embedding!;
        runner.ApplyTemplates(new GateTemplateSet
        {
            GateId = "gate-01",
            CabinetId = "cab-01",
            Recipe = FaceRecipe.Version,
            ValidUntilMs = long.MaxValue,
            People = [new GatePerson("kate.siegel", long.MaxValue, [TemplateCodec.Encode(kate)])],
        });
        IReadOnlyList<DecisionLogEntry> decisions = await runner.RunAsync(new Frames([.. LookAlikeFrames, .. LookAlikeFrames]), CancellationToken.None);
        return Assert.Single(decisions);
    }

    [Fact]
    public async Task A_look_alike_who_is_not_enrolled_is_refused_by_the_gate_though_the_old_rule_let_her_in()
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        DecisionLogEntry gate = await PresentAsync(pipeline, MatchPolicy.OpenSet);
        Assert.Equal((DecisionState.Refused, null), (gate.State, gate.Subject));
        Assert.StartsWith("unknown", gate.Reason, StringComparison.Ordinal);

        // The same frames under the shipped rule before issue 20 (cosine 0.45): this is a real look-alike.
        DecisionLogEntry before = await PresentAsync(pipeline, new MatchPolicy(0.45f) with { MinMargin = 0.05f });
        Assert.Equal((DecisionState.Accepted, "kate.siegel"), (before.State, before.Subject));
    }
}
