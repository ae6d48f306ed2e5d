using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// fr_liveness: a square crop 2.7x the face box, centred on it (edge pixels repeated past the frame),
/// 128x128, BGR raw 0..255; softmax of the logits, index 0 = live. Advisory: the gate's policy decides.
/// </summary>
public sealed class LivenessScorer(InferenceSession session)
{
    public const int InputSize = 128;
    public const float CropScale = 2.7f;
    private readonly float[] _input = new float[3 * InputSize * InputSize];

    /// <summary>
    /// Probability (0..1) that the face is a live person. The crop is always 2.7x the box, centred on it,
    /// as one affine warp; past the frame edge the edge pixels are repeated. So the context does not
    /// shrink when the face fills the frame (it did, and the score followed the framing: issue 20); the
    /// price is a lower score for faces very close to the camera (README "Liveness").
    /// </summary>
    public float Score(Mat bgr, FaceBox box) => ScoreAt(bgr, box, CropScale);

    /// <summary>
    /// The lowest score over crops of several sizes (each as above): a picture held up has to look live
    /// at every scale — close up, where recapture texture dominates, and wide, where a frame or a cut
    /// edge enters the crop. Measured on the spoof set in README "Liveness".
    /// </summary>
    public float Score(Mat bgr, FaceBox box, IReadOnlyList<float> cropScales)
    {
        float lowest = 1;
        foreach (float scale in cropScales)
        {
            lowest = Math.Min(lowest, ScoreAt(bgr, box, scale));
        }

        return lowest;
    }

    private float ScoreAt(Mat bgr, FaceBox box, float cropScale)
    {
        double w = Math.Max(box.Width, 1) * cropScale, h = Math.Max(box.Height, 1) * cropScale;
        double sx = InputSize / w, sy = InputSize / h;
        using Mat transform = new(2, 3, MatType.CV_64FC1);
        transform.Set(0, 0, sx); transform.Set(0, 1, 0.0); transform.Set(0, 2, (w / 2 - box.CenterX) * sx);
        transform.Set(1, 0, 0.0); transform.Set(1, 1, sy); transform.Set(1, 2, (h / 2 - box.CenterY) * sy);
        using Mat resized = new();
        Cv2.WarpAffine(bgr, resized, transform, new OpenCvSharp.Size(InputSize, InputSize), InterpolationFlags.Linear, BorderTypes.Replicate);
        PlanarInput.CopyBgr(resized, InputSize, InputSize, _input, InputSize);

        float[] logits = OnnxRunner.Run(session, _input, [1, 3, InputSize, InputSize])[0];
        float max = logits.Max();
        double sum = 0;
        foreach (float logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return (float)(Math.Exp(logits[0] - max) / sum);
    }
}
