using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// fr_liveness: a crop 2.7x the face box (shrunk to fit the frame, kept centred where possible),
/// 128x128, BGR raw 0..255; softmax of the logits, index 0 = live. Advisory: the gate's policy decides.
/// </summary>
public sealed class LivenessScorer(InferenceSession session)
{
    public const int InputSize = 128;
    public const float CropScale = 2.7f;
    private readonly float[] _input = new float[3 * InputSize * InputSize];

    /// <summary>Probability (0..1) that the face is a live person.</summary>
    public unsafe float Score(Mat bgr, FaceBox box)
    {
        Rect region = CropRegion(bgr.Width, bgr.Height, box);
        using Mat crop = new(bgr, region);
        using Mat resized = new();
        Cv2.Resize(crop, resized, new OpenCvSharp.Size(InputSize, InputSize), 0, 0, InterpolationFlags.Linear);
        const int plane = InputSize * InputSize;
        for (int y = 0; y < InputSize; y++)
        {
            byte* row = (byte*)resized.Ptr(y);
            for (int x = 0; x < InputSize; x++)
            {
                int o = y * InputSize + x;
                _input[o] = row[3 * x];
                _input[plane + o] = row[3 * x + 1];
                _input[2 * plane + o] = row[3 * x + 2];
            }
        }

        float[] logits = OnnxRunner.Run(session, _input, [1, 3, InputSize, InputSize])[0];
        float max = logits.Max();
        double sum = 0;
        foreach (float logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return (float)(Math.Exp(logits[0] - max) / sum);
    }

    internal static Rect CropRegion(int imageWidth, int imageHeight, FaceBox box)
    {
        float scale = Math.Min(CropScale, Math.Min((imageHeight - 1) / Math.Max(box.Height, 1), (imageWidth - 1) / Math.Max(box.Width, 1)));
        float w = box.Width * scale, h = box.Height * scale;
        float left = Math.Clamp(box.CenterX - w / 2, 0, imageWidth - w);
        float top = Math.Clamp(box.CenterY - h / 2, 0, imageHeight - h);
        int x = (int)left, y = (int)top;
        int width = Math.Clamp((int)w, 1, imageWidth - x);
        int height = Math.Clamp((int)h, 1, imageHeight - y);
        return new Rect(x, y, width, height);
    }
}
