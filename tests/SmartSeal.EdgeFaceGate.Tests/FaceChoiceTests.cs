using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>NMS and the choice of face, without models.</summary>
public class FaceChoiceTests
{
    [Fact]
    public void Nms_keeps_the_best_of_overlapping_boxes_and_every_separate_face()
    {
        List<FaceBox> boxes =
        [
            new(10, 10, 110, 110, 0.80f),
            new(12, 8, 112, 108, 0.95f),   // same face, better score: kept instead of the first
            new(300, 20, 380, 100, 0.70f), // another face
            new(60, 60, 160, 160, 0.90f),  // overlaps the first by IoU < 0.4: a separate face
        ];

        List<FaceBox> kept = FaceDetector.NonMaximumSuppression(boxes, FaceDetector.NmsIou);

        Assert.Equal([0.95f, 0.90f, 0.70f], kept.Select(b => b.Score));
    }

    [Fact]
    public void The_face_with_the_best_score_is_chosen_and_a_tie_goes_to_the_larger_face()
    {
        FaceBox small = new(0, 0, 50, 50, 0.991f);
        FaceBox large = new(100, 0, 250, 150, 0.988f);
        FaceBox weaker = new(300, 0, 600, 300, 0.90f);

        Assert.Equal(large, FacePipeline.ChooseFace([small, weaker, large]));
        Assert.Equal(small, FacePipeline.ChooseFace([new FaceBox(0, 0, 50, 50, 0.97f), weaker, small]));
    }
}
