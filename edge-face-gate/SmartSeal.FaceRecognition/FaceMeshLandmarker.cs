using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>The 468 face mesh points in frame pixels (x, y; the model's depth is dropped) and the model's face presence score (0..1).</summary>
public sealed record FaceMesh(Point2f[] Points, float FaceScore);

/// <summary>
/// Google MediaPipe's face mesh (468 points, MODELS.md) behind the 68-point seam. The crop is
/// MediaPipe's: a square region of interest 1.5 times the face's long side, RGB scaled to 0..1, 192x192.
/// Two passes, as MediaPipe's tracking does: the first around the detector's box, the second around
/// the first pass's mesh (its extent x 1.5, turned so the eye corners are level), so the result does
/// not depend on how tight a detector draws its box nor on the head's roll.
/// </summary>
public sealed class FaceMeshLandmarker(InferenceSession session) : IFaceLandmarker
{
    public const int InputSize = 192;
    public const int MeshPoints = 468;

    /// <summary>The model outputs the landmarker reads: 468 x (x, y, z) in crop pixels, and the face presence score.</summary>
    public static readonly string[] Outputs = ["output_mesh", "output_faceflag"];

    /// <summary>MediaPipe's RectTransformationCalculator scale for both its detection and its landmark ROI.</summary>
    public const float RoiScale = 1.5f;

    /// <summary>Mesh eye corners that set the roll of the second crop (subject's right outer, left outer).</summary>
    private const int RightEyeOuter = 33, LeftEyeOuter = 263;

    /// <summary>
    /// The mesh point used for each of the 68 points (index = iBUG/dlib point). "Right" is the subject's
    /// right (image left). Eyes: the corners and the lid points at a third and two thirds of the lid
    /// (upper 160, 158 over lower 144, 153; 385, 387 over 380, 373), so the eye aspect ratio pairs
    /// upper and lower points that face each other.
    /// </summary>
    public static readonly int[] MeshIndexOf68 =
    [
        // jaw 0–16, right temple along the face oval through the chin (152) to the left temple
        127, 234, 132, 58, 172, 136, 150, 176, 152, 400, 379, 365, 397, 288, 361, 454, 356,
        // right brow 17–21 (outer → inner), left brow 22–26 (inner → outer)
        70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
        // nose bridge 27–30 (between the eyes → tip 1), nostrils 31–35 (right wing, 97, below the tip 2, 326, left wing)
        168, 197, 5, 1, 98, 97, 2, 326, 327,
        // right eye 36–41: outer corner, upper lid ×2, inner corner, lower lid ×2
        33, 160, 158, 133, 153, 144,
        // left eye 42–47: inner corner, upper lid ×2, outer corner, lower lid ×2
        362, 385, 387, 263, 373, 380,
        // outer lips 48–59: right corner, upper lip, left corner (291), lower lip back
        61, 40, 37, 0, 267, 270, 291, 321, 405, 17, 181, 91,
        // inner lips 60–67: right corner, upper, left corner, lower
        78, 81, 13, 311, 308, 402, 14, 178,
    ];

    private readonly float[] _input = new float[InputSize * InputSize * 3];
    private readonly byte[] _pixels = new byte[InputSize * InputSize * 3];

    public Point2f[] Locate(Mat bgr, FaceBox box) => To68(LocateMesh(bgr, box).Points);

    /// <summary>The 468 points: a first pass around the box, a second around the first mesh.</summary>
    public FaceMesh LocateMesh(Mat bgr, FaceBox box)
    {
        FaceMesh first = Run(bgr, box.CenterX, box.CenterY, RoiScale * Math.Max(box.Width, box.Height), 0);
        (float cx, float cy, float side, double angle) = RoiOf(first.Points);
        return Run(bgr, cx, cy, side, angle);
    }

    /// <summary>The 68-point layout from the 468 mesh points (<see cref="MeshIndexOf68"/>).</summary>
    public static Point2f[] To68(Point2f[] mesh)
    {
        if (mesh.Length != MeshPoints)
        {
            throw new ArgumentException($"a face mesh has {MeshPoints} points, got {mesh.Length}", nameof(mesh));
        }

        return MeshIndexOf68.Select(i => mesh[i]).ToArray();
    }

    /// <summary>MediaPipe's landmark ROI: centre and extent of the points in the frame turned level with the eyes, long side x 1.5.</summary>
    private static (float Cx, float Cy, float Side, double Angle) RoiOf(Point2f[] mesh)
    {
        Point2f a = mesh[RightEyeOuter], b = mesh[LeftEyeOuter];
        double angle = Math.Atan2(b.Y - a.Y, b.X - a.X);
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
        foreach (Point2f p in mesh)
        {
            // Coordinates along and across the eye line.
            double u = (p.X * cos) + (p.Y * sin), v = (-p.X * sin) + (p.Y * cos);
            (minU, maxU, minV, maxV) = (Math.Min(minU, u), Math.Max(maxU, u), Math.Min(minV, v), Math.Max(maxV, v));
        }

        double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
        float side = (float)(RoiScale * Math.Max(maxU - minU, maxV - minV));
        return ((float)((cu * cos) - (cv * sin)), (float)((cu * sin) + (cv * cos)), side, angle);
    }

    /// <summary>One pass: the square of <paramref name="side"/> pixels around (cx, cy) turned by <paramref name="angle"/>, 192x192 RGB 0..1, mesh mapped back.</summary>
    private FaceMesh Run(Mat bgr, float cx, float cy, float side, double angle)
    {
        // Crop pixel (u, v) → frame: centre + rotation · scale · (u − 96, v − 96). Pixels outside the frame are black.
        double s = side / InputSize, cos = Math.Cos(angle) * s, sin = Math.Sin(angle) * s, half = InputSize / 2.0;
        double tx = cx - ((cos * half) - (sin * half)), ty = cy - ((sin * half) + (cos * half));
        using Mat toFrame = new(2, 3, MatType.CV_64FC1);
        toFrame.Set(0, 0, cos); toFrame.Set(0, 1, -sin); toFrame.Set(0, 2, tx);
        toFrame.Set(1, 0, sin); toFrame.Set(1, 1, cos); toFrame.Set(1, 2, ty);
        using Mat crop = new();
        Cv2.WarpAffine(bgr, crop, toFrame, new Size(InputSize, InputSize), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Constant);
        Marshal.Copy(crop.Data, _pixels, 0, _pixels.Length);
        for (int i = 0; i < _pixels.Length; i += 3)
        {
            // BGR → RGB, 0..1 (MediaPipe's output_tensor_float_range).
            _input[i] = _pixels[i + 2] / 255f;
            _input[i + 1] = _pixels[i + 1] / 255f;
            _input[i + 2] = _pixels[i] / 255f;
        }

        float[][] outputs = OnnxRunner.Run(session, _input, [1, InputSize, InputSize, 3], Outputs);
        float[] mesh = outputs[0];
        Point2f[] points = new Point2f[MeshPoints];
        for (int i = 0; i < MeshPoints; i++)
        {
            double u = mesh[3 * i], v = mesh[(3 * i) + 1];
            points[i] = new Point2f((float)((cos * u) - (sin * v) + tx), (float)((sin * u) + (cos * v) + ty));
        }

        return new FaceMesh(points, outputs[1][0]);
    }
}
