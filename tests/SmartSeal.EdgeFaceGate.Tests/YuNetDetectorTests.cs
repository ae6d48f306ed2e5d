using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// OpenCV Zoo's YuNet as the detector (optional in the gate; setup.sh installs the verified copy kept in
/// edge-face-gate/third-party/yunet/, MODELS.md): hash refusals, and its detections beside the default's.
/// </summary>
public class YuNetDetectorTests
{
    [Fact]
    public void A_yunet_file_with_another_hash_is_refused_before_loading()
    {
        string folder = Directory.CreateTempSubdirectory("yunet-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, FaceModels.YuNetFile), [1, 2, 3]);

            FaceModelException ex = Assert.Throws<FaceModelException>(() =>
                FaceModels.LoadWithYuNet(FaceModels.DefaultFolder(), FaceModels.DefaultHashFile(), folder, FaceModels.DefaultYuNetHashFile()));

            Assert.Contains("has SHA-256 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81, expected 8f2383e4", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_missing_yunet_file_is_refused_with_where_to_get_it()
    {
        string folder = Directory.CreateTempSubdirectory("yunet-").FullName;
        try
        {
            FaceModelException ex = Assert.Throws<FaceModelException>(() =>
                FaceModels.LoadWithYuNet(FaceModels.DefaultFolder(), FaceModels.DefaultHashFile(), folder, FaceModels.DefaultYuNetHashFile()));

            Assert.Contains($"{FaceModels.YuNetFile} is missing", ex.Message);
            Assert.Contains("MODELS.md", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData("people/george_clooney/deepface_img38.jpg", 1)]
    [InlineData("people/angelina_jolie/deepface_img1.jpg", 1)]
    [InlineData("two_people.jpg", 2)]
    public void Yunet_finds_the_faces_the_default_detector_finds_at_the_same_place(string photo, int faces)
    {
        using FaceModels models = YuNetModels();

        using Mat image = Cv2.ImRead(FaceTestData.Face(photo));
        List<FaceBox> yuNet = new YuNetDetector(models.YuNet!).Detect(image, FaceDetector.GateConfidence);
        List<FaceBox> ultraLight = new FaceDetector(models.Detector).Detect(image, FaceDetector.GateConfidence);

        Assert.Equal(faces, yuNet.Count);
        Assert.Equal(faces, ultraLight.Count);
        foreach (FaceBox box in yuNet)
        {
            // Same face: the other detector has a box whose centre lies within a quarter face of this one.
            Assert.Contains(ultraLight, other =>
                Math.Abs(other.CenterX - box.CenterX) < box.Width / 4 && Math.Abs(other.CenterY - box.CenterY) < box.Height / 4);
        }
    }

    [Fact]
    public void The_pipeline_with_yunet_accepts_a_portrait_and_matches_it_to_another_photo_of_the_person()
    {
        using FaceModels models = YuNetModels();

        FacePipeline pipeline = new(models);
        FaceAnalysis one = pipeline.AnalyseFile(FaceTestData.Face("people/george_clooney/deepface_img38.jpg"), FacePipelineOptions.Gate);
        FaceAnalysis two = pipeline.AnalyseFile(FaceTestData.Face("people/george_clooney/deepface_img39.jpg"), FacePipelineOptions.Gate);
        FaceAnalysis other = pipeline.AnalyseFile(FaceTestData.Face("people/angelina_jolie/deepface_img1.jpg"), FacePipelineOptions.Gate);

        Assert.True(one.Accepted && two.Accepted && other.Accepted, $"{one.Reason} / {two.Reason} / {other.Reason}");
        float same = System.Numerics.Tensors.TensorPrimitives.Dot(one.Embedding!, two.Embedding!);
        float different = System.Numerics.Tensors.TensorPrimitives.Dot(one.Embedding!, other.Embedding!);
        Assert.True(same >= MatchPolicy.OpenSet.Threshold, $"same person scored {same}");
        Assert.True(different < new MatchPolicy().Threshold, $"different people scored {different}");
    }

    private static FaceModels YuNetModels()
    {
        // setup.sh installs the verified copy kept in edge-face-gate/third-party/yunet/, so a missing file is a failure.
        string file = Path.Combine(FaceModels.YuNetFolder(), FaceModels.YuNetFile);
        Assert.True(File.Exists(file), $"{file} is not installed: run scripts/setup.sh (edge-face-gate/MODELS.md)");
        return FaceModels.LoadDefault(FaceDetectorKind.YuNet);
    }
}
