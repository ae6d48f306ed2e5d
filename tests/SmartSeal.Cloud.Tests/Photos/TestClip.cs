using System.Diagnostics;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// A real stamping-video clip: ffmpeg (Debian package, scripts/setup.sh) records its synthetic test
/// pattern into an H.264 MP4, as the Linux cabinet's recorder does from a camera.
/// </summary>
public static class TestClip
{
    public static async Task<byte[]> RecordAsync(int seconds = 2, int width = 160, int height = 120)
    {
        string file = Path.Combine(Path.GetTempPath(), $"smartseal-clip-{Guid.NewGuid():n}.mp4");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[]
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=10",
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", file,
        })
        {
            info.ArgumentList.Add(argument);
        }

        using Process ffmpeg = Process.Start(info)!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg failed: {errors}");
        try
        {
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
