using OpenCvSharp;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// MediaPipe's face mesh as the gate's 68-point landmarker (MODELS.md, "MediaPipe face mesh"): its points
/// mean what fr_landmark's mean, its eye openness drops on a real blink, and the recipe names it.
/// </summary>
public sealed class FaceMeshLandmarkerTests(ITestOutputHelper output)
{
    private static string EvalFace(string relative) => Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces", relative);

    [Theory]
    [InlineData("people/clapton/clapton-1.jpg")]
    [InlineData("people/lennon/lennon-2.jpg")]
    [InlineData("people/steve_carell/carell.jpg")]
    public void The_mesh_finds_a_face_and_its_five_points_are_where_fr_landmark_puts_them(string photo)
    {
        using FaceModels models = FaceModels.LoadDefault(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, FaceLandmarkerKind.FaceMesh);
        using Mat image = Cv2.ImRead(EvalFace(photo));
        FaceBox box = new FaceDetector(models.Detector).Detect(image, FaceDetector.GateConfidence)[0];

        FaceMesh mesh = new FaceMeshLandmarker(models.FaceMesh!).LocateMesh(image, box);
        Point2f[] five = LandmarkLocator.FivePoints(FaceMeshLandmarker.To68(mesh.Points));
        Point2f[] reference = LandmarkLocator.FivePoints(new LandmarkLocator(models.Landmarks).Locate(image, box));

        double eyeDistance = Point2f.Distance(reference[0], reference[1]);
        double[] offsets = five.Zip(reference, (a, b) => Point2f.Distance(a, b) / eyeDistance).ToArray();
        output.WriteLine($"{photo}: face score {mesh.FaceScore:0.000}; offsets from fr_landmark in eye distances (eyes, nose, mouth corners): {string.Join(" ", offsets.Select(o => o.ToString("0.00")))}");
        Assert.True(mesh.FaceScore > 0.9, $"face score {mesh.FaceScore}");
        Assert.All(mesh.Points, p => Assert.True(p.X > box.X1 - (0.2 * box.Width) && p.X < box.X2 + (0.2 * box.Width) && p.Y > box.Y1 - (0.2 * box.Height) && p.Y < box.Y2 + (0.2 * box.Height), $"{p} outside the box {box}"));
        // Same landmark meanings: a swapped eye or a wrong mouth index would be a whole eye distance off.
        Assert.All(offsets, o => Assert.True(o < 0.2, $"offsets {string.Join(" ", offsets.Select(x => x.ToString("0.00")))}"));
    }

    [Fact]
    public void Eye_openness_from_the_mesh_drops_on_the_blinks_of_the_grid_video()
    {
        using FaceModels models = FaceModels.LoadDefault(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, FaceLandmarkerKind.FaceMesh);
        FaceDetector detector = new(models.Detector);
        FaceMeshLandmarker landmarker = new(models.FaceMesh!);
        // GRID corpus bbaf2n.mpg (CC BY 4.0, face-bursts/SOURCES.md): blinks at about frames 42–44 and 50–53.
        using VideoCapture video = new(Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "face-bursts", "videos", "bbaf2n.mpg"));
        List<double> openness = [];
        using Mat frame = new();
        while (openness.Count < 72 && video.Read(frame) && !frame.Empty())
        {
            FaceBox box = detector.Detect(frame, FaceDetector.GateConfidence)[0];
            openness.Add(LandmarkLocator.EyeOpenness(landmarker.Locate(frame, box)));
        }

        Assert.Equal(72, openness.Count);
        double open = openness.Take(36).Order().ElementAt(18);
        double closed = openness.Skip(40).Take(15).Min();
        double before = openness.Take(36).Min();
        output.WriteLine($"eye openness: median of frames 0–35 {open:0.000} (lowest {before:0.000}), lowest of frames 40–54 {closed:0.000} at frame {40 + openness.Skip(40).Take(15).ToList().IndexOf(closed)}");
        // The mesh's lids close less than fr_landmark's (to about 0.7 of the open eye, fr_landmark to 0.45),
        // but within the blink challenge's ratio, and the open eye stays well above it.
        double ratio = new DecisionPolicy().BlinkRatio;
        Assert.True(closed <= ratio * open, $"blink {closed:0.000} against open {open:0.000}: above {ratio:0.00} of it");
        Assert.True(before > 0.9 * open, $"a frame before the blink already at {before:0.000}");
    }

    [Fact]
    public void The_face_mesh_is_part_of_the_recipe_and_fr_landmark_keeps_the_old_strings()
    {
        Assert.Equal("faceplugin-0.0.1/r1", FaceRecipe.VersionFor(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, FaceLandmarkerKind.Faceplugin));
        Assert.Equal("faceplugin-0.0.1+yunet-2023mar+dlib-resnet-v1/r1", FaceRecipe.VersionFor(FaceDetectorKind.YuNet, FaceEmbedderKind.DlibResNet, FaceLandmarkerKind.Faceplugin));
        Assert.Equal("faceplugin-0.0.1+facemesh/r1", FaceRecipe.VersionFor(FaceDetectorKind.UltraLight, FaceEmbedderKind.MobileFaceNet, FaceLandmarkerKind.FaceMesh));
        Assert.Equal("faceplugin-0.0.1+yunet-2023mar+dlib-resnet-v1+facemesh/r1", FaceRecipe.VersionFor(FaceDetectorKind.YuNet, FaceEmbedderKind.DlibResNet, FaceLandmarkerKind.FaceMesh));
    }

    [Fact]
    public void Face_mesh_files_with_another_hash_are_refused_before_conversion()
    {
        using TamperedModelFolder tampered = new(FaceModels.FaceMeshFolder(), "facemesh.bin", 100_000);

        FaceModelException ex = Assert.Throws<FaceModelException>(() => FaceModels.OpenFaceMesh(tampered.Path, FaceModels.DefaultFaceMeshHashFile()));

        Assert.Contains("facemesh.bin has SHA-256", ex.Message);
    }
}
