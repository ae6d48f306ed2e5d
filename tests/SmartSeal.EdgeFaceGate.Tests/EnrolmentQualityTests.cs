using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>Issue 20: a bad enrolment photo is refused with a reason the person can act on.</summary>
public sealed class EnrolmentQualityTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    private static string Photo => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", "people", "kate_siegel", "facenet_pytorch_1.jpg");

    [Theory]
    [InlineData(0.2, 0, "too dark")]
    [InlineData(0.4, 180, "too bright")]
    public void An_under_or_over_exposed_enrolment_photo_is_refused_and_the_same_photo_well_exposed_is_taken(double gain, double offset, string reason)
    {
        if (data.PipelineOrSkip(output) is not { } pipeline)
        {
            return;
        }

        using Mat photo = Cv2.ImRead(Photo);
        using Mat badLight = new();
        photo.ConvertTo(badLight, MatType.CV_8UC3, gain, offset);

        FaceAnalysis good = pipeline.Analyse(photo, FacePipelineOptions.Enrolment);
        FaceAnalysis bad = pipeline.Analyse(badLight, FacePipelineOptions.Enrolment);

        Assert.Equal(FaceRefusal.None, good.Refusal);
        Assert.Equal(FaceRefusal.Exposure, bad.Refusal);
        Assert.Contains(reason, bad.Reason);
    }
}
