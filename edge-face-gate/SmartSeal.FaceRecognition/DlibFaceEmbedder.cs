using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using SmartSeal.FaceRecognition.Conversion;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// dlib's face recogniser: the face chip dlib's own examples feed it (get_face_chip_details(shape,
/// 150, 0.25): a similarity fit of the 68 landmarks without eyebrows and lower lip onto dlib's mean
/// face, 25 % padding, 150x150), RGB 0..255 into the converted graph, 128-d. The vector fills the first
/// 128 of the template's <see cref="FaceEmbedder.Dimensions"/> values (the rest zero), L2-normalised in
/// <see cref="FaceAnalysis.Embedding"/> with its length in <see cref="FaceAnalysis.EmbeddingNorm"/>;
/// <see cref="FaceAnalysis.Template"/> gives the descriptor as it was, which dlib's recipes store and
/// score by dlib's distance (<see cref="TemplateMetric.DlibDistance"/>).
/// </summary>
public sealed class DlibFaceEmbedder(InferenceSession session)
{
    public const int ChipSize = DlibResNetGraph.InputSize;
    public const double Padding = 0.25;
    private readonly float[] _input = new float[3 * ChipSize * ChipSize];

    /// <summary>dlib's mean face shape for points 17..67 (x, y in 0..1; its interpolation.h).</summary>
    private static readonly double[] MeanX =
    [
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
        0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
        0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
        0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
        0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
        0.553364, 0.490127, 0.42689,
    ];

    private static readonly double[] MeanY =
    [
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
        0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
        0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
        0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
        0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
        0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
        0.784792, 0.824182, 0.831803, 0.824182,
    ];

    /// <summary>dlib's own decision threshold: descriptors of one person are closer than 0.6 (euclidean, unnormalised).</summary>
    public const float SamePersonDistance = 0.6f;

    public (float[] Template, float Norm) Embed(Mat bgr, Point2f[] landmarks68)
    {
        using Mat chip = Chip(bgr, landmarks68);
        return EmbedChip(chip);
    }

    /// <summary>dlib's distance of two faces from their templates and norms (<see cref="FaceAnalysis.EmbeddingNorm"/>).</summary>
    public static float Distance(float[] a, float normA, float[] b, float normB)
    {
        double dot = System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
        return (float)Math.Sqrt(Math.Max(0, normA * normA + normB * normB - 2 * normA * normB * dot));
    }

    /// <summary>The 128-d descriptor of a 150x150 BGR chip, L2-normalised, in a template-sized vector, and its length before.</summary>
    public unsafe (float[] Template, float Norm) EmbedChip(Mat chipBgr)
    {
        const int plane = ChipSize * ChipSize;
        for (int y = 0; y < ChipSize; y++)
        {
            byte* row = (byte*)chipBgr.Ptr(y);
            for (int x = 0; x < ChipSize; x++)
            {
                int o = y * ChipSize + x;
                _input[o] = row[3 * x + 2];
                _input[plane + o] = row[3 * x + 1];
                _input[2 * plane + o] = row[3 * x];
            }
        }

        float[] descriptor = OnnxRunner.Run(session, _input, [1, 3, ChipSize, ChipSize])[0];
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(descriptor);
        FaceEmbedder.Normalise(descriptor);
        float[] template = new float[FaceEmbedder.Dimensions];
        descriptor.CopyTo(template, 0);
        return (template, norm);
    }

    /// <summary>
    /// dlib's 150x150 face chip. dlib shrinks large faces by an image pyramid before the bilinear
    /// warp; here the frame is halved (Gaussian pyramid) while the chip would sample it below half scale.
    /// </summary>
    public static Mat Chip(Mat bgr, Point2f[] landmarks68)
    {
        List<(double X, double Y)> source = [], target = [];
        for (int i = 17; i < 68; i++)
        {
            if ((i >= 17 && i <= 26) || (i >= 55 && i <= 59) || i >= 65)
            {
                continue;  // eyebrows and lower lip, left out as dlib does
            }

            source.Add((landmarks68[i].X, landmarks68[i].Y));
            target.Add(((Padding + MeanX[i - 17]) / (2 * Padding + 1) * ChipSize, (Padding + MeanY[i - 17]) / (2 * Padding + 1) * ChipSize));
        }

        SimilarityTransform t = SimilarityTransform.Fit(source, target);
        Mat image = bgr;
        double shrink = 1;
        int width = bgr.Width;
        while (t.Scale * shrink < 0.5 && width > 2 * ChipSize)
        {
            Mat smaller = new();
            Cv2.PyrDown(image, smaller);
            if (!ReferenceEquals(image, bgr))
            {
                image.Dispose();
            }

            image = smaller;
            shrink *= 2;
            width = image.Width;
        }

        using Mat m = new(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, t.A * shrink); m.Set(0, 1, -t.B * shrink); m.Set(0, 2, t.Tx);
        m.Set(1, 0, t.B * shrink); m.Set(1, 1, t.A * shrink); m.Set(1, 2, t.Ty);
        Mat chip = new();
        Cv2.WarpAffine(image, chip, m, new Size(ChipSize, ChipSize), InterpolationFlags.Linear, BorderTypes.Constant);
        if (!ReferenceEquals(image, bgr))
        {
            image.Dispose();
        }

        return chip;
    }
}
