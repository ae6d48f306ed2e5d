using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// OpenCV Zoo's YuNet 2023mar (fixed 1x3x640x640 input, BGR 0..255 planes): a frame larger than 640
/// is scaled down to fit keeping its aspect (a smaller one is not enlarged), then padded with black at
/// the right and bottom. The network predicts, per
/// cell of three grids (strides 8, 16, 32), a class and an objectness score (face score = their
/// geometric mean) and a box as a cell offset plus log width/height in strides, mapped back by the fit
/// scale; IoU NMS 0.3 as the zoo's demo. Its five points (output kps_*) are not used: the pipeline
/// aligns on the 68 landmarks, measured better for this embedder.
/// </summary>
public sealed class YuNetDetector : IFaceDetector
{
    public const int InputSide = 640;
    public const float NmsIou = 0.3f;
    private static readonly int[] Strides = [8, 16, 32];

    private readonly InferenceSession _session;
    private readonly float[] _input = new float[3 * InputSide * InputSide];
    private readonly string[] _outputs;

    public YuNetDetector(InferenceSession session)
    {
        _session = session;
        _outputs = Strides.SelectMany(s => new[] { $"cls_{s}", $"obj_{s}", $"bbox_{s}" }).ToArray();
        string[] missing = _outputs.Except(session.OutputNames).ToArray();
        if (missing.Length > 0)
        {
            throw new FaceModelException($"the YuNet model lacks the outputs {string.Join(", ", missing)}");
        }
    }

    public List<FaceBox> Detect(Mat bgr, float confidence)
    {
        // Never enlarged: a face filling a small crop would grow past the sizes YuNet was trained on.
        float scale = Math.Min(1, Math.Min((float)InputSide / bgr.Width, (float)InputSide / bgr.Height));
        int width = Math.Max(1, (int)MathF.Round(bgr.Width * scale));
        int height = Math.Max(1, (int)MathF.Round(bgr.Height * scale));
        using Mat resized = new();
        Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, InterpolationFlags.Linear);
        Array.Clear(_input); // the padding stays black
        PlanarInput.CopyBgr(resized, width, height, _input, InputSide);

        float[][] outputs = OnnxRunner.Run(_session, _input, [1, 3, InputSide, InputSide], _outputs);
        List<FaceBox> candidates = [];
        for (int level = 0; level < Strides.Length; level++)
        {
            Decode(Strides[level], outputs[3 * level], outputs[3 * level + 1], outputs[3 * level + 2], confidence, 1 / scale, bgr.Width, bgr.Height, candidates);
        }

        return FaceDetector.NonMaximumSuppression(candidates, NmsIou);
    }

    private static void Decode(int stride, float[] cls, float[] obj, float[] box, float confidence, float back, int frameWidth, int frameHeight, List<FaceBox> into)
    {
        int columns = InputSide / stride;
        for (int i = 0; i < cls.Length; i++)
        {
            float score = MathF.Sqrt(Math.Clamp(cls[i], 0, 1) * Math.Clamp(obj[i], 0, 1));
            if (score < confidence)
            {
                continue;
            }

            int row = i / columns, column = i % columns;
            float cx = (column + box[4 * i]) * stride, cy = (row + box[4 * i + 1]) * stride;
            float w = MathF.Exp(box[4 * i + 2]) * stride, h = MathF.Exp(box[4 * i + 3]) * stride;
            into.Add(new FaceBox(
                Math.Clamp((cx - w / 2) * back, 0, frameWidth),
                Math.Clamp((cy - h / 2) * back, 0, frameHeight),
                Math.Clamp((cx + w / 2) * back, 0, frameWidth),
                Math.Clamp((cy + h / 2) * back, 0, frameHeight),
                score));
        }
    }
}
