using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>fr_feature: aligned 112x112 face, BGR planes (v-127)/128 → 512-d, L2-normalised here.</summary>
public sealed class FaceEmbedder(InferenceSession session)
{
    public const int Dimensions = 512;
    private readonly float[] _input = new float[3 * FaceAligner.Size * FaceAligner.Size];

    public unsafe float[] Embed(Mat alignedBgr)
    {
        const int size = FaceAligner.Size;
        const int plane = size * size;
        for (int y = 0; y < size; y++)
        {
            byte* row = (byte*)alignedBgr.Ptr(y);
            for (int x = 0; x < size; x++)
            {
                int o = y * size + x;
                _input[o] = (row[3 * x] - 127f) / 128f;
                _input[plane + o] = (row[3 * x + 1] - 127f) / 128f;
                _input[2 * plane + o] = (row[3 * x + 2] - 127f) / 128f;
            }
        }

        float[] embedding = OnnxRunner.Run(session, _input, [1, 3, size, size])[0];
        Normalise(embedding);
        return embedding;
    }

    public static void Normalise(float[] vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
