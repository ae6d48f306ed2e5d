using OpenCvSharp;
using SmartSeal.EdgeFaceGate.Inputs;

namespace SmartSeal.EdgeFaceGate.Tests.Gate;

public sealed class FrameSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gate-frames-").FullName;

    private void WriteImage(string name, Scalar colour, int width = 64, int height = 48)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3, colour);
        Cv2.ImWrite(Path.Combine(_folder, name), image);
    }

    [Fact]
    public void A_folder_gives_its_images_in_name_order_then_ends_and_skips_what_does_not_decode()
    {
        WriteImage("b.png", new Scalar(0, 0, 200));
        WriteImage("a.jpg", new Scalar(200, 0, 0));
        File.WriteAllText(Path.Combine(_folder, "c.jpg"), "not a jpeg");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "ignored");

        using IFrameSource source = FrameSources.Open(_folder);
        Assert.IsType<FolderFrameSource>(source);
        var statuses = new List<(FrameStatus, string)>();
        for (FrameRead read = source.Read(); read.Status != FrameStatus.End; read = source.Read())
        {
            statuses.Add((read.Status, read.Name));
            if (read.Frame is { } frame)
            {
                Assert.Equal((64, 48, 3), (frame.Width, frame.Height, frame.Channels()));
                frame.Dispose();
            }
        }

        Assert.Equal([(FrameStatus.Frame, "a.jpg"), (FrameStatus.Frame, "b.png"), (FrameStatus.Unreadable, "c.jpg")], statuses);
    }

    [Fact]
    public void A_looping_folder_starts_again_after_the_last_image()
    {
        WriteImage("1.png", new Scalar(10, 10, 10));
        WriteImage("2.png", new Scalar(20, 20, 20));
        using IFrameSource source = FrameSources.Open(_folder, loop: true);
        string[] names = Enumerable.Range(0, 5).Select(_ =>
        {
            FrameRead read = source.Read();
            read.Frame?.Dispose();
            return read.Name;
        }).ToArray();
        Assert.Equal(["1.png", "2.png", "1.png", "2.png", "1.png"], names);
    }

    [Fact]
    public void A_missing_input_is_refused_with_its_name_and_a_missing_camera_reads_as_disconnected()
    {
        var missing = Assert.Throws<FrameSourceException>(() => FrameSources.Open(Path.Combine(_folder, "nope")));
        Assert.Contains("nope", missing.Message);

        using IFrameSource camera = FrameSources.Open("/dev/video97");
        FrameRead read = camera.Read();
        Assert.Equal(FrameStatus.Disconnected, read.Status);
        Assert.Null(read.Frame);
    }

    [Fact]
    public void A_video_file_written_with_OpenCV_is_read_back_frame_by_frame_through_VideoCapture()
    {
        string path = Path.Combine(_folder, "clip.avi");
        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(80, 60)))
        {
            Assert.True(writer.IsOpened(), "OpenCV has no MJPG writer here");
            for (int i = 0; i < 4; i++)
            {
                using var frame = new Mat(60, 80, MatType.CV_8UC3, new Scalar(i * 60, 0, 0));
                writer.Write(frame);
            }
        }

        using IFrameSource source = FrameSources.Open(path);
        Assert.IsType<VideoCaptureFrameSource>(source);
        var blues = new List<double>();
        for (FrameRead read = source.Read(); read.Status == FrameStatus.Frame; read = source.Read())
        {
            using Mat frame = read.Frame!;
            Assert.Equal((80, 60), (frame.Width, frame.Height));
            blues.Add(frame.Mean().Val0);
        }

        Assert.Equal(4, blues.Count);
        Assert.True(blues[3] > blues[0] + 100, $"frames came back out of order or blank: {string.Join(", ", blues)}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
