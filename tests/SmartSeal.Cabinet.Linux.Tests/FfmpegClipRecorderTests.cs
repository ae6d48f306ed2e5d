using System.Diagnostics;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>
/// The stamping-video recorder with the real ffmpeg (Debian package, scripts/setup.sh) recording
/// its synthetic test pattern: the clip is an H.264 MP4 of the configured length and size, a
/// source that cannot open comes back as ffmpeg's own error, and the V4L2 one-at-a-time rule holds.
/// </summary>
public sealed class FfmpegClipRecorderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smartseal-clips-").FullName;

    [Fact]
    public async Task The_test_pattern_records_as_an_h264_mp4_of_the_configured_length_and_size()
    {
        using var recorder = new FfmpegClipRecorder(new VideoConfig { Source = VideoConfig.TestPattern, Seconds = 3, Width = 320, Height = 240 }, _folder);
        Assert.True(recorder.Start("vid-ctok-1"));
        await recorder.WhenIdleAsync();

        RecordedClip clip = Assert.IsType<RecordedClip>(recorder.TakeFinished());
        Assert.Null(recorder.TakeFinished());
        Assert.Equal("vid-ctok-1", clip.ClipId);
        Assert.Null(clip.Problem);
        Assert.Equal("ftyp"u8.ToArray(), clip.Mp4[4..8]);
        Assert.InRange(clip.Mp4.Length, 1_000, SmartSeal.Protocol.Messages.PhotoChunker.MaxPhotoBytes);

        string probe = await ProbeAsync(clip.Mp4);
        Assert.Contains("codec_name=h264", probe);
        Assert.Contains("width=320", probe);
        Assert.Contains("height=240", probe);
        Assert.Contains("nb_read_frames=30", probe); // 3 s at 10 fps
        Assert.Empty(Directory.GetFiles(_folder)); // the file is handed over, not left behind
    }

    [Fact]
    public async Task A_source_that_cannot_open_comes_back_with_ffmpegs_error()
    {
        using var recorder = new FfmpegClipRecorder(new VideoConfig { Source = "/dev/video97", Seconds = 2 }, _folder);
        Assert.True(recorder.Start("vid-a"));
        Assert.False(recorder.Start("vid-b")); // a V4L2 node opens once: the second clip is refused while the first runs
        await recorder.WhenIdleAsync();

        RecordedClip clip = Assert.IsType<RecordedClip>(recorder.TakeFinished());
        Assert.Null(clip.Mp4);
        Assert.StartsWith("ffmpeg exited 1", clip.Problem);
        Assert.Contains("/dev/video97", clip.Problem);
        Assert.True(recorder.Start("vid-b")); // free again
        await recorder.WhenIdleAsync();
    }

    [Fact]
    public void A_missing_ffmpeg_is_reported_as_a_failed_clip()
    {
        using var recorder = new FfmpegClipRecorder(new VideoConfig { Source = VideoConfig.TestPattern, Ffmpeg = "/nonexistent/ffmpeg" }, _folder);
        Assert.True(recorder.Start("vid-x"));
        RecordedClip clip = Assert.IsType<RecordedClip>(recorder.TakeFinished());
        Assert.Contains("/nonexistent/ffmpeg did not start", clip.Problem);
    }

    [Fact]
    public void The_command_line_reads_the_configured_source_and_caps_the_file_below_one_upload()
    {
        IReadOnlyList<string> v4l2 = FfmpegClipRecorder.Arguments(new VideoConfig { Source = "/dev/video1", Seconds = 8 }, "/tmp/c.mp4");
        Assert.Equal(["-f", "v4l2", "-video_size", "640x480", "-i", "/dev/video1"], v4l2.Skip(5).Take(6));
        Assert.Equal("8", v4l2[v4l2.ToList().IndexOf("-t") + 1]);
        IReadOnlyList<string> rtsp = FfmpegClipRecorder.Arguments(new VideoConfig { Source = "rtsp://gate-cam/stream" }, "/tmp/c.mp4");
        Assert.Equal(["-rtsp_transport", "tcp", "-i", "rtsp://gate-cam/stream"], rtsp.Skip(5).Take(4));
        Assert.True(long.Parse(rtsp[rtsp.ToList().IndexOf("-fs") + 1]) < SmartSeal.Protocol.Messages.PhotoChunker.MaxPhotoBytes);
    }

    private async Task<string> ProbeAsync(byte[] mp4)
    {
        string file = Path.Combine(_folder, "probe.mp4");
        await File.WriteAllBytesAsync(file, mp4);
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=nw=1", file })
        {
            info.ArgumentList.Add(a);
        }

        using Process probe = Process.Start(info)!;
        string output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        File.Delete(file);
        return output;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
