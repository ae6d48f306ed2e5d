using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// The templates again as 8-bit integers with one scale per row: a quarter of the memory of floats,
/// so a scan over 100,000 templates reads 51 MB instead of 205 MB (the float scan is bound by memory
/// bandwidth, not arithmetic). Scores are approximate (about ±0.01); the gallery rescores the best
/// identities exactly.
/// </summary>
internal sealed class QuantizedRows
{
    private sbyte[] _rows = new sbyte[FaceEmbedder.Dimensions * 64];
    private float[] _inverseScale = new float[64];
    private int[] _rowSum = new int[64];
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> row)
    {
        if (Count == _inverseScale.Length)
        {
            Array.Resize(ref _inverseScale, _inverseScale.Length * 2);
            Array.Resize(ref _rowSum, _rowSum.Length * 2);
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        Span<sbyte> target = _rows.AsSpan(Count * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions);
        _inverseScale[Count] = Quantize(row, target);
        int sum = 0;
        foreach (sbyte v in target)
        {
            sum += v;
        }

        _rowSum[Count] = sum;
        Count++;
    }

    /// <summary>Writes round(v·127/max|v|) and returns the factor that turns integer dots back into floats.</summary>
    public static float Quantize(ReadOnlySpan<float> row, Span<sbyte> target)
    {
        float max = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row)); // MaxMagnitude keeps the sign
        float scale = max > 0 ? 127f / max : 1f;
        for (int i = 0; i < row.Length; i++)
        {
            target[i] = (sbyte)Math.Clamp(MathF.Round(row[i] * scale), -127, 127);
        }

        return 1f / scale;
    }

    /// <summary>Approximate dot of every row with the probe into <paramref name="scores"/>.</summary>
    public void Scores(ReadOnlySpan<float> probe, Span<float> scores)
    {
        Span<sbyte> q = stackalloc sbyte[FaceEmbedder.Dimensions];
        float probeInverse = Quantize(probe, q);
        if (AvxVnni.IsSupported)
        {
            ScoresVnni(q, probeInverse, scores);
            return;
        }

        // The probe widened to 16-bit once, so each row needs one sign-extending load per 16 values.
        Span<short> wide = stackalloc short[FaceEmbedder.Dimensions];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = q[i];
        }

        ReadOnlySpan<sbyte> rows = _rows;
        for (int r = 0; r < Count; r++)
        {
            int dot = Dot(wide, rows.Slice(r * FaceEmbedder.Dimensions, FaceEmbedder.Dimensions));
            scores[r] = dot * probeInverse * _inverseScale[r];
        }
    }

    /// <summary>
    /// VNNI multiplies unsigned by signed bytes, 32 pairs per instruction: the probe is shifted to
    /// q+128, and 128·(row sum) is taken off again.
    /// </summary>
    private unsafe void ScoresVnni(ReadOnlySpan<sbyte> q, float probeInverse, Span<float> scores)
    {
        const int n = FaceEmbedder.Dimensions;
        byte* shifted = stackalloc byte[n];
        for (int i = 0; i < n; i++)
        {
            shifted[i] = (byte)(q[i] + 128);
        }

        fixed (sbyte* all = _rows)
        {
            for (int r = 0; r < Count; r++)
            {
                sbyte* row = all + (long)r * n;
                Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
                for (int i = 0; i < n; i += 64)
                {
                    acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, Avx.LoadVector256(shifted + i), Avx.LoadVector256(row + i));
                    acc1 = AvxVnni.MultiplyWideningAndAdd(acc1, Avx.LoadVector256(shifted + i + 32), Avx.LoadVector256(row + i + 32));
                }

                int dot = Vector256.Sum(Avx2.Add(acc0, acc1)) - 128 * _rowSum[r];
                scores[r] = dot * probeInverse * _inverseScale[r];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Dot(ReadOnlySpan<short> probe, ReadOnlySpan<sbyte> row)
    {
        int i = 0, sum = 0;
        if (Avx2.IsSupported)
        {
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            fixed (short* p = probe)
            fixed (sbyte* b = row)
            {
                for (; i + 32 <= row.Length; i += 32)
                {
                    acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(p + i), Avx2.ConvertToVector256Int16(b + i)));
                    acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(p + i + 16), Avx2.ConvertToVector256Int16(b + i + 16)));
                }
            }

            sum = Vector256.Sum(Avx2.Add(acc0, acc1));
        }

        for (; i < row.Length; i++)
        {
            sum += probe[i] * row[i];
        }

        return sum;
    }
}
