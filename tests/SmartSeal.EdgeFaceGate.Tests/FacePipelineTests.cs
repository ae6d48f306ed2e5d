using System.Numerics.Tensors;
using OpenCvSharp;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>The whole pipeline on a handful of the shared photos with the real models.</summary>
public class FacePipelineTests(FaceTestData data, ITestOutputHelper output) : IClassFixture<FaceTestData>
{
    private const string Portrait = "people/george_clooney/deepface_img38.jpg";

    [Fact]
    public void A_portrait_has_exactly_one_face()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        FaceAnalysis a = pipeline.AnalyseFile(FaceTestData.Face(Portrait), FacePipelineOptions.Gate);

        Assert.True(a.Accepted, a.Reason);
        Assert.Equal(1, a.FacesFound);
        Assert.Equal(FaceEmbedder.Dimensions, a.Embedding!.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(a.Embedding), 3);
    }

    [Theory]
    [InlineData("two_people.jpg")]
    [InlineData("selfie-many-people.jpg")]
    public void A_group_photo_is_refused_as_several_faces(string file)
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        FaceAnalysis a = pipeline.AnalyseFile(FaceTestData.Face(file), FacePipelineOptions.Gate);

        Assert.Equal(FaceRefusal.SeveralFaces, a.Refusal);
        Assert.True(a.FacesFound >= 2, $"found {a.FacesFound}");
        Assert.Null(a.Embedding);
    }

    [Fact]
    public void Two_photos_of_one_person_score_above_the_threshold_and_of_two_people_below()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        float[] clooney1 = Embed(pipeline, Portrait);
        float[] clooney2 = Embed(pipeline, "people/george_clooney/deepface_img39.jpg");
        float[] jolie = Embed(pipeline, "people/angelina_jolie/deepface_img1.jpg");
        float same = TensorPrimitives.Dot(clooney1, clooney2);
        float different = TensorPrimitives.Dot(clooney1, jolie);
        output.WriteLine($"same {same:0.000}, different {different:0.000}");

        MatchPolicy policy = new();
        Assert.True(same >= policy.Threshold, $"same person scored {same}");
        Assert.True(different < policy.Threshold, $"different people scored {different}");
    }

    [Fact]
    public void An_enrolled_person_is_identified_from_a_new_photo_and_a_stranger_is_refused()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        FaceGallery gallery = new();
        FacePipelineOptions enrolment = FacePipelineOptions.Enrolment;
        gallery.Add("george_clooney", Embed(pipeline, "people/george_clooney/deepface_img39.jpg", enrolment));
        gallery.Add("george_clooney", Embed(pipeline, "people/george_clooney/deepface_img40.jpg", enrolment));
        gallery.Add("angelina_jolie", Embed(pipeline, "people/angelina_jolie/deepface_img2.jpg", enrolment));
        gallery.Add("angelina_jolie", Embed(pipeline, "people/angelina_jolie/deepface_img4.jpg", enrolment));

        MatchResult known = gallery.Identify(Embed(pipeline, Portrait), new MatchPolicy());
        MatchResult stranger = gallery.Identify(Embed(pipeline, "people/elon_musk/deepface_img18.jpg"), new MatchPolicy());

        Assert.Equal("george_clooney", known.MatchedIdentity);
        Assert.Equal(MatchOutcome.Unknown, stranger.Outcome);
        Assert.Null(stranger.MatchedIdentity);
    }

    [Fact]
    public void Bytes_that_are_not_an_image_are_refused()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        FaceAnalysis a = pipeline.AnalyseEncoded("this is not a JPEG"u8.ToArray(), FacePipelineOptions.Gate);

        Assert.Equal(FaceRefusal.NotAnImage, a.Refusal);
        Assert.Contains("decodable", a.Reason);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        string path = Path.GetTempFileName();
        try
        {
            FaceAnalysis a = pipeline.AnalyseFile(path, FacePipelineOptions.Gate);
            Assert.Equal(FaceRefusal.NotAnImage, a.Refusal);
            Assert.Contains("empty", a.Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_tiny_image_is_refused()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        using Mat portrait = Cv2.ImRead(FaceTestData.Face(Portrait));
        using Mat tiny = new();
        Cv2.Resize(portrait, tiny, new Size(16, 16));
        Cv2.ImEncode(".png", tiny, out byte[] png);

        FaceAnalysis a = pipeline.AnalyseEncoded(png, FacePipelineOptions.Gate);

        Assert.Equal(FaceRefusal.ImageTooSmall, a.Refusal);
    }

    [Fact]
    public void A_face_shrunk_below_the_size_limit_is_refused_as_too_small()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        // The portrait shrunk onto a larger gray canvas: the face is found but is only a few dozen pixels high.
        using Mat portrait = Cv2.ImRead(FaceTestData.Face(Portrait));
        FaceAnalysis full = pipeline.Analyse(portrait, FacePipelineOptions.Gate);
        Assert.True(full.Accepted, full.Reason);
        double shrink = 36.0 / full.Box!.Value.Height;
        using Mat small = new();
        Cv2.Resize(portrait, small, new Size(), shrink, shrink, InterpolationFlags.Area);
        using Mat canvas = new(new Size(Math.Max(320, small.Width), Math.Max(240, small.Height)), MatType.CV_8UC3, new Scalar(128, 128, 128));
        small.CopyTo(new Mat(canvas, new Rect(0, 0, small.Width, small.Height)));

        FaceAnalysis a = pipeline.Analyse(canvas, FacePipelineOptions.Gate with { Confidence = 0.5f });
        output.WriteLine($"{a.Refusal}: {a.Reason}");

        Assert.Equal(FaceRefusal.FaceTooSmall, a.Refusal);
        Assert.Null(a.Embedding);
    }

    [Fact]
    public void A_blurred_face_is_refused_as_blurred()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        using Mat portrait = Cv2.ImRead(FaceTestData.Face(Portrait));
        using Mat blurred = new();
        Cv2.GaussianBlur(portrait, blurred, new Size(0, 0), portrait.Height / 40.0);

        FaceAnalysis a = pipeline.Analyse(blurred, FacePipelineOptions.Gate);
        output.WriteLine($"{a.Refusal}: {a.Reason}");

        Assert.Equal(FaceRefusal.Blurred, a.Refusal);
        Assert.Null(a.Embedding);
    }

    [Fact]
    public void A_blurred_face_at_the_top_edge_of_the_frame_is_still_refused_as_blurred()
    {
        FacePipeline? pipeline = data.PipelineOrSkip(output);
        if (pipeline is null) return;

        // The aligned crop of a face this close to the top reaches past the frame: its black band must not count as detail.
        using Mat portrait = Cv2.ImRead(FaceTestData.Face(Portrait));
        using Mat blurred = new();
        Cv2.GaussianBlur(portrait, blurred, new Size(0, 0), portrait.Height / 40.0);
        using Mat atTheTop = new(blurred, new Rect(0, 45, blurred.Width, blurred.Height - 45));

        FaceAnalysis a = pipeline.Analyse(atTheTop.Clone(), FacePipelineOptions.Gate);
        output.WriteLine($"{a.Refusal}: {a.Reason}");

        Assert.Equal(FaceRefusal.Blurred, a.Refusal);
    }

    [Fact]
    public void Models_with_a_wrong_hash_are_refused()
    {
        string folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, FaceModels.DetectorFile), "not a model");
            string hashes = Path.Combine(folder, "models.sha256");
            File.WriteAllText(hashes, $"{new string('0', 64)}  {FaceModels.DetectorFile}\n");

            FaceModelException ex = Assert.Throws<FaceModelException>(() => FaceModels.VerifyHashes(folder, hashes));
            Assert.Contains("SHA-256", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static float[] Embed(FacePipeline pipeline, string relative, FacePipelineOptions? options = null)
    {
        FaceAnalysis a = pipeline.AnalyseFile(FaceTestData.Face(relative), options ?? FacePipelineOptions.Gate);
        Assert.True(a.Accepted, $"{relative}: {a.Reason}");
        return a.Embedding!;
    }
}
