using System.Globalization;
using OpenCvSharp;
using SmartSeal.Firmware.Hardware.Fakes;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// The simulated device's camera: a queued photo (a page held under it) wins; otherwise it renders
/// what the camera would see as a real JPEG at a VC0706 frame size — for a lock the document page
/// with its page number and printed page code, the seal's red impression once stamped, and a time
/// overlay; for a cabinet the compartment bay. Only the bytes differ from <see cref="FakeCamera"/>;
/// the firmware's photo path (capture, chunking, upload) is the device's.
/// </summary>
public sealed class SceneCamera : FakeCamera
{
    /// <summary>VC0706 image sizes (register 0x19: 0x00, 0x11, 0x22).</summary>
    public static readonly Size Vga = new(640, 480), Qvga = new(320, 240), Qqvga = new(160, 120);

    private static readonly Scalar Paper = new(235, 240, 242), Ink = new(40, 40, 40), SealRed = new(30, 30, 210);
    private readonly string _deviceId;
    private readonly bool _page;
    private readonly Func<long> _utcNowMs;
    private readonly Size _size;
    private readonly bool _render;

    /// <param name="page">true: a lock looking down at a page; false: a cabinet looking at its bay.</param>
    /// <param name="render">false: the stub bytes of <see cref="FakeCamera"/> (the scene is still tracked).</param>
    public SceneCamera(string deviceId, bool page, Size size, Func<long> utcNowMs, bool render = true)
    {
        _render = render;
        _deviceId = deviceId;
        _page = page;
        _size = size;
        _utcNowMs = utcNowMs;
    }

    /// <summary>The page under the lock (1-based); a new use puts the next page there.</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>Whether the seal came down on the current page.</summary>
    public bool Impressed { get; private set; }

    /// <summary>The compartment the cabinet's camera shows (0: the whole front).</summary>
    public int Compartment { get; set; }

    /// <summary>The next use: a fresh page goes under the lock.</summary>
    public void TurnPage()
    {
        if (Impressed)
        {
            PageNumber++;
        }

        Impressed = false;
    }

    /// <summary>The seal came down on the page: later frames show its impression.</summary>
    public void PressSeal() => Impressed = true;

    protected override byte[] Generate(int counter)
    {
        if (!_render)
        {
            return base.Generate(counter);
        }

        using var frame = new Mat(_size, MatType.CV_8UC3, _page ? Paper : new Scalar(70, 75, 80));
        double scale = _size.Width / 640.0;
        if (_page)
        {
            DrawPage(frame, scale);
        }
        else
        {
            DrawBay(frame, scale);
        }

        string time = DateTimeOffset.FromUnixTimeMilliseconds(_utcNowMs()).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        int band = Math.Max(12, (int)(28 * scale));
        Cv2.Rectangle(frame, new Rect(0, _size.Height - band, _size.Width, band), Scalar.Black, -1);
        Cv2.PutText(frame, $"{_deviceId}  #{counter}  {time}", new Point(4, _size.Height - band / 4 - 2), HersheyFonts.HersheySimplex, 0.5 * scale + 0.05, Scalar.White, 1, LineTypes.AntiAlias);
        Cv2.ImEncode(".jpg", frame, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 75));
        return jpeg;
    }

    private void DrawPage(Mat frame, double scale)
    {
        int Px(double v) => (int)(v * scale);
        Cv2.PutText(frame, "PURCHASE CONTRACT", new Point(Px(40), Px(60)), HersheyFonts.HersheyDuplex, 1.0 * scale, Ink, Math.Max(1, Px(2)), LineTypes.AntiAlias);
        for (int line = 0; line < 9; line++)
        {
            int y = Px(100 + line * 30);
            Cv2.Line(frame, new Point(Px(40), y), new Point(Px(line % 3 == 2 ? 380 : 600), y), new Scalar(150, 150, 150), Math.Max(1, Px(3)));
        }

        Cv2.PutText(frame, string.Create(CultureInfo.InvariantCulture, $"page {PageNumber}   code SIM-{_deviceId}-P{PageNumber}"), new Point(Px(40), Px(410)), HersheyFonts.HersheySimplex, 0.6 * scale, Ink, 1, LineTypes.AntiAlias);
        if (Impressed)
        {
            // The impression: a red ring with a star and the seal's name, where a stamp lands on a contract.
            var centre = new Point(Px(470), Px(330));
            int radius = Px(70);
            Cv2.Circle(frame, centre, radius, SealRed, Math.Max(2, Px(6)), LineTypes.AntiAlias);
            Cv2.FillPoly(frame, [Star(centre, Px(28), Px(11))], SealRed, LineTypes.AntiAlias);
            Cv2.PutText(frame, "SEAL", new Point(centre.X - Px(30), centre.Y + Px(50)), HersheyFonts.HersheyDuplex, 0.8 * scale, SealRed, Math.Max(1, Px(2)), LineTypes.AntiAlias);
        }
    }

    private void DrawBay(Mat frame, double scale)
    {
        int Px(double v) => (int)(v * scale);
        Cv2.Rectangle(frame, new Rect(Px(120), Px(60), Px(400), Px(300)), new Scalar(120, 125, 130), -1);
        Cv2.Rectangle(frame, new Rect(Px(120), Px(60), Px(400), Px(300)), new Scalar(200, 200, 200), Math.Max(1, Px(4)));
        string label = Compartment > 0 ? string.Create(CultureInfo.InvariantCulture, $"compartment {Compartment}") : "cabinet front";
        Cv2.PutText(frame, label, new Point(Px(150), Px(110)), HersheyFonts.HersheyDuplex, 1.0 * scale, Scalar.White, Math.Max(1, Px(2)), LineTypes.AntiAlias);
    }

    private static Point[] Star(Point centre, int outer, int inner)
    {
        var points = new Point[10];
        for (int i = 0; i < 10; i++)
        {
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            int r = i % 2 == 0 ? outer : inner;
            points[i] = new Point(centre.X + (int)(r * Math.Cos(angle)), centre.Y + (int)(r * Math.Sin(angle)));
        }

        return points;
    }
}
