using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>Interleaved 8-bit BGR pixels to the planar float tensors the networks take.</summary>
internal static class PlanarInput
{
    /// <summary>
    /// The top-left <paramref name="width"/>x<paramref name="height"/> pixels of <paramref name="bgr"/> as raw
    /// 0..255 B, G and R planes of <paramref name="planeSide"/>x<paramref name="planeSide"/> (rest left as is).
    /// </summary>
    public static unsafe void CopyBgr(Mat bgr, int width, int height, float[] into, int planeSide)
    {
        int plane = planeSide * planeSide;
        for (int y = 0; y < height; y++)
        {
            byte* row = (byte*)bgr.Ptr(y);
            for (int x = 0; x < width; x++)
            {
                int o = y * planeSide + x;
                into[o] = row[3 * x];
                into[plane + o] = row[3 * x + 1];
                into[2 * plane + o] = row[3 * x + 2];
            }
        }
    }
}
