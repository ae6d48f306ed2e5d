using OpenCvSharp;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.Simulators.Tests;

/// <summary>The simulated cameras return real JPEGs at VC0706 sizes: the page, and the seal's impression after a stamp.</summary>
public class SceneCameraTests
{
    private const long Noon = 1_796_126_400_000; // 2026-12-01 12:00 UTC: a fixed clock, so frames are reproducible

    [Fact]
    public void A_lock_sees_a_legible_VGA_page_and_the_red_impression_only_after_the_stamp()
    {
        var camera = new SceneCamera("lock-cam-01", page: true, SceneCamera.Vga, () => Noon);

        byte[] before = camera.Capture();
        camera.PressSeal();
        byte[] after = camera.Capture();

        using Mat beforeImage = Decode(before, 640, 480);
        using Mat afterImage = Decode(after, 640, 480);
        Assert.InRange(before.Length, 5_000, 60_000); // a VGA frame at the device's compression, not a stub
        Assert.True(RedPixels(beforeImage) < 50, $"{RedPixels(beforeImage)} red pixels before the stamp");
        Assert.True(RedPixels(afterImage) > 2_000, $"{RedPixels(afterImage)} red pixels after the stamp");

        // The next use puts a fresh page under the lock: no impression on it yet.
        camera.TurnPage();
        Assert.Equal(2, camera.PageNumber);
        using Mat next = Decode(camera.Capture(), 640, 480);
        Assert.True(RedPixels(next) < 50);
    }

    [Fact]
    public void A_cabinet_sees_its_bay_at_QVGA_and_a_queued_photo_still_wins()
    {
        var camera = new SceneCamera("cab-cam-01", page: false, SceneCamera.Qvga, () => Noon) { Compartment = 2 };
        using Mat bay = Decode(camera.Capture(), 320, 240);

        byte[] held = camera.Capture();
        camera.QueuePhoto(held);
        Assert.Same(held, camera.Capture());
        Assert.Equal(3, camera.CaptureCount);
    }

    [Fact]
    public void Without_scene_photos_the_camera_returns_the_stub_and_still_follows_the_page()
    {
        var camera = new SceneCamera("lock-cam-02", page: true, SceneCamera.Vga, () => Noon, render: false);

        byte[] stub = camera.Capture();
        camera.PressSeal();

        Assert.InRange(stub.Length, 1, 64); // one chunk on the link, not seven
        Assert.True(camera.Impressed);
    }

    private static Mat Decode(byte[] jpeg, int width, int height)
    {
        Assert.True(jpeg is [0xFF, 0xD8, 0xFF, ..] && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9, "SOI ... EOI");
        Mat image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Assert.False(image.Empty(), "OpenCV decodes it");
        Assert.Equal((width, height), (image.Width, image.Height));
        return image;
    }

    /// <summary>Pixels of seal ink: strongly red, little green and blue (BGR).</summary>
    private static int RedPixels(Mat image)
    {
        using Mat mask = new();
        Cv2.InRange(image, new Scalar(0, 0, 150), new Scalar(110, 110, 255), mask);
        return Cv2.CountNonZero(mask);
    }
}
