using OpenCvSharp;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// An attack burst: a flat picture (a spoof image, or a plain photo) moved in front of the camera the way
/// a hand holds it, frame by frame. The picture is a plane at the distance where it fills the frame
/// (focal length 1.2x the frame width, a webcam's 45° view); per frame it is turned about its own centre
/// (tilt ±<see cref="MaxTiltDegrees"/> about both in-plane axes, roll ±<see cref="MaxRollDegrees"/>),
/// moved (±<see cref="MaxShift"/> of the frame width), brought nearer or farther (±<see cref="MaxScale"/>),
/// and projected: the exact homography of a plane. Each parameter follows its own slow sine (random
/// amplitude, phase and 0.3–1.2 cycles over the burst) plus a small tremor, all scaled by one
/// steadiness factor per burst (0.1, a picture propped up, to 1, a shaky hand); every frame then gets a
/// camera exposure change (gain 0.9–1.1, offset ±8), a blur of σ 0–1.2 px (hand shake) and sensor noise
/// σ 2. Deterministic from the seed.
/// </summary>
public static class HeldPictureBurst
{
    public const double MaxTiltDegrees = 8;
    public const double MaxRollDegrees = 4;
    public const double MaxShift = 0.04;
    public const double MaxScale = 0.05;

    public static List<Mat> Make(Mat picture, int frames, int seed) => Make(Enumerable.Repeat(picture, frames).ToList(), seed);

    /// <summary>A burst of changing pictures held the same way: a phone or monitor replaying a video, moved by hand.</summary>
    public static List<Mat> Make(IReadOnlyList<Mat> pictures, int seed)
    {
        if (pictures.Any(p => p.Empty()))
        {
            throw new ArgumentException("a held-up picture must not be empty (unreadable image?)", nameof(pictures));
        }

        int frames = pictures.Count;
        Random random = new(seed);
        double hand = 0.1 + (0.9 * random.NextDouble()); // from a picture propped up (0.1) to a shaky hand (1)
        Course tiltX = new(random, hand * MaxTiltDegrees), tiltY = new(random, hand * MaxTiltDegrees), roll = new(random, hand * MaxRollDegrees);
        Course shiftX = new(random, hand * MaxShift), shiftY = new(random, hand * MaxShift), scale = new(random, hand * MaxScale);
        Course gain = new(random, 0.1), offset = new(random, 8);
        var burst = new List<Mat>(frames);
        for (int t = 0; t < frames; t++)
        {
            double phase = frames > 1 ? t / (double)(frames - 1) : 0;
            Mat picture = pictures[t];
            using Mat h = PlaneHomography(picture.Size(), tiltX.At(phase, random), tiltY.At(phase, random), roll.At(phase, random),
                shiftX.At(phase, random), shiftY.At(phase, random), 1 + scale.At(phase, random));
            Mat frame = new();
            Cv2.WarpPerspective(picture, frame, h, picture.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
            frame.ConvertTo(frame, -1, 1 + gain.At(phase, random), offset.At(phase, random));
            double blur = random.NextDouble() * 1.2;
            if (blur > 0.3)
            {
                Cv2.GaussianBlur(frame, frame, new Size(0, 0), blur);
            }

            SpoofSet.AddNoise(frame, random.Next(), 2);
            burst.Add(frame);
        }

        return burst;
    }

    /// <summary>Where the corners of a plane facing the camera go when it is turned about its centre, moved and scaled, as one homography.</summary>
    public static Mat PlaneHomography(Size size, double tiltXDegrees, double tiltYDegrees, double rollDegrees, double shiftX, double shiftY, double scale)
    {
        double f = 1.2 * size.Width, cx = size.Width / 2.0, cy = size.Height / 2.0;
        double a = tiltXDegrees * Math.PI / 180, b = tiltYDegrees * Math.PI / 180, c = rollDegrees * Math.PI / 180;
        // R = Rz(c) · Ry(b) · Rx(a)
        double[,] rx = { { 1, 0, 0 }, { 0, Math.Cos(a), -Math.Sin(a) }, { 0, Math.Sin(a), Math.Cos(a) } };
        double[,] ry = { { Math.Cos(b), 0, Math.Sin(b) }, { 0, 1, 0 }, { -Math.Sin(b), 0, Math.Cos(b) } };
        double[,] rz = { { Math.Cos(c), -Math.Sin(c), 0 }, { Math.Sin(c), Math.Cos(c), 0 }, { 0, 0, 1 } };
        double[,] r = Multiply(rz, Multiply(ry, rx));
        double depth = f / scale;
        Point2f[] from = [new(0, 0), new(size.Width, 0), new(size.Width, size.Height), new(0, size.Height)];
        var to = new Point2f[4];
        for (int i = 0; i < 4; i++)
        {
            double x = from[i].X - cx, y = from[i].Y - cy;
            double px = (r[0, 0] * x) + (r[0, 1] * y), py = (r[1, 0] * x) + (r[1, 1] * y), pz = (r[2, 0] * x) + (r[2, 1] * y) + depth;
            to[i] = new Point2f((float)(cx + (f * px / pz) + (shiftX * size.Width)), (float)(cy + (f * py / pz) + (shiftY * size.Width)));
        }

        return Cv2.GetPerspectiveTransform(from, to);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                m[i, j] = (a[i, 0] * b[0, j]) + (a[i, 1] * b[1, j]) + (a[i, 2] * b[2, j]);
            }
        }

        return m;
    }

    /// <summary>One parameter's course over the burst: a slow sine of random amplitude, phase and rate, plus tremor.</summary>
    private sealed class Course(Random random, double limit)
    {
        private readonly double _amplitude = limit * (0.3 + (0.7 * random.NextDouble()));
        private readonly double _phase = random.NextDouble() * 2 * Math.PI;
        private readonly double _cycles = 0.3 + (0.9 * random.NextDouble());

        public double At(double phase, Random tremor) =>
            (_amplitude * Math.Sin(_phase + (2 * Math.PI * _cycles * phase))) + (limit * 0.05 * ((tremor.NextDouble() * 2) - 1));
    }
}
