using OpenCvSharp;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>Issue 20: the gate's liveness takes the lowest score of a 2.7x and a 4.0x crop.</summary>
public class LivenessScalesTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    [Fact]
    public void The_wider_crop_refuses_photos_in_a_frame_that_the_single_crop_lets_through_and_keeps_the_live_ones()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        FacePipelineOptions single = FacePipelineOptions.Gate with { AllowSeveralFaces = true, LivenessScales = [LivenessScorer.CropScale] };
        FacePipelineOptions gate = FacePipelineOptions.Gate with { AllowSeveralFaces = true };
        int framedSingle = 0, framedGate = 0, liveSingle = 0, liveGate = 0;
        foreach (string file in PhotoFiles())
        {
            using Mat photo = Cv2.ImRead(file, ImreadModes.Color);
            using Mat framed = SpoofSet.Make(photo, SpoofKind.FramedPhoto, seed: 7);
            framedSingle += Live(pipeline.Analyse(framed, single));
            framedGate += Live(pipeline.Analyse(framed, gate));
            liveSingle += Live(pipeline.Analyse(photo, single));
            liveGate += Live(pipeline.Analyse(photo, gate));
        }

        output.WriteLine($"framed photos passed: single crop {framedSingle}, gate {framedGate}; bona fide passed: {liveSingle} / {liveGate}");
        Assert.True(framedGate < framedSingle, $"framed photos passed: single crop {framedSingle}, gate {framedGate}");
        Assert.Equal(liveSingle, liveGate);
    }

    private static IEnumerable<string> PhotoFiles() =>
        Directory.GetDirectories(Path.Combine(FaceTestData.FacesFolder, "people")).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal).Take(2));

    private static int Live(FaceAnalysis a) => a.Accepted && a.Liveness >= 0.5f ? 1 : 0;
}
