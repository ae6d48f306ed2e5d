using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// fr_detect: the whole frame resized to 320x240, RGB (v-127)/128; outputs softmaxed scores and
/// boxes already decoded to 0..1. Keeps boxes above the confidence, then score-sorted IoU NMS.
/// </summary>
public sealed class FaceDetector(InferenceSession session) : IFaceDetector
{
    public const int InputWidth = 320;
    public const int InputHeight = 240;
    public const float NmsIou = 0.4f;
    public const float GateConfidence = 0.65f;
    public const float EnrolmentConfidence = 0.9f;

    private readonly float[] _input = new float[3 * InputWidth * InputHeight];

    /// <summary>Faces above <paramref name="confidence"/>, best score first, in pixels of <paramref name="bgr"/>.</summary>
    public List<FaceBox> Detect(Mat bgr, float confidence)
    {
        using Mat resized = new();
        Cv2.Resize(bgr, resized, new Size(InputWidth, InputHeight), 0, 0, InterpolationFlags.Linear);
        FillRgbPlanes(resized);

        float[][] outputs = OnnxRunner.Run(session, _input, [1, 3, InputHeight, InputWidth], "scores", "boxes");
        float[] scores = outputs[0];
        float[] boxes = outputs[1];
        int count = scores.Length / 2;

        List<FaceBox> candidates = [];
        for (int i = 0; i < count; i++)
        {
            float score = scores[2 * i + 1];
            if (score < confidence)
            {
                continue;
            }

            candidates.Add(new FaceBox(
                Math.Clamp(boxes[4 * i], 0, 1) * bgr.Width,
                Math.Clamp(boxes[4 * i + 1], 0, 1) * bgr.Height,
                Math.Clamp(boxes[4 * i + 2], 0, 1) * bgr.Width,
                Math.Clamp(boxes[4 * i + 3], 0, 1) * bgr.Height,
                score));
        }

        return NonMaximumSuppression(candidates, NmsIou);
    }

    /// <summary>Greedy NMS in descending score order: a box survives unless it overlaps a better kept one.</summary>
    public static List<FaceBox> NonMaximumSuppression(List<FaceBox> boxes, float iouLimit)
    {
        boxes.Sort((a, b) => b.Score.CompareTo(a.Score));
        List<FaceBox> kept = [];
        foreach (FaceBox box in boxes)
        {
            bool overlaps = false;
            foreach (FaceBox better in kept)
            {
                if (box.IntersectionOverUnion(better) > iouLimit)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps)
            {
                kept.Add(box);
            }
        }

        return kept;
    }

    private unsafe void FillRgbPlanes(Mat bgr)
    {
        int plane = InputWidth * InputHeight;
        for (int y = 0; y < InputHeight; y++)
        {
            byte* row = (byte*)bgr.Ptr(y);
            for (int x = 0; x < InputWidth; x++)
            {
                int o = y * InputWidth + x;
                _input[o] = (row[3 * x + 2] - 127f) / 128f;
                _input[plane + o] = (row[3 * x + 1] - 127f) / 128f;
                _input[2 * plane + o] = (row[3 * x] - 127f) / 128f;
            }
        }
    }
}
