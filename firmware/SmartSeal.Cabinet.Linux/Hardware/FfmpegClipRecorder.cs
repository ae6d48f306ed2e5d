using System.Collections.Concurrent;
using System.Diagnostics;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// Stamping video through ffmpeg: each <see cref="Start"/> runs one ffmpeg process that records
/// <see cref="VideoConfig.Seconds"/> of the configured source into an H.264 MP4 (no audio, 10 fps,
/// size-capped below one photo upload), and the finished file (or ffmpeg's error output) is queued
/// for the core's tick. A V4L2 node records one clip at a time (the device opens once); network
/// and test-pattern sources record several at once.
/// </summary>
public sealed class FfmpegClipRecorder : IClipRecorder, IDisposable
{
    private readonly VideoConfig _video;
    private readonly string _folder;
    private readonly int _maxAtOnce;
    private readonly ConcurrentQueue<RecordedClip> _finished = new();
    private readonly ConcurrentDictionary<string, (Process Process, Task Done)> _running = new();

    public FfmpegClipRecorder(VideoConfig video, string folder)
    {
        _video = video;
        _folder = folder;
        _maxAtOnce = video.Source.StartsWith("/dev/", StringComparison.Ordinal) ? 1 : 4;
        Directory.CreateDirectory(folder);
    }

    public bool Start(string clipId)
    {
        if (_running.Count >= _maxAtOnce || _running.ContainsKey(clipId))
        {
            return false;
        }

        string file = Path.Combine(_folder, clipId + ".mp4");
        var info = new ProcessStartInfo(_video.Ffmpeg) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in Arguments(_video, file))
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _finished.Enqueue(new RecordedClip { ClipId = clipId, Problem = $"{_video.Ffmpeg} did not start: {e.Message}" });
            return true;
        }

        _running[clipId] = (process, CollectAsync(clipId, process, file));
        return true;
    }

    public RecordedClip? TakeFinished() => _finished.TryDequeue(out RecordedClip? clip) ? clip : null;

    /// <summary>Completes when every clip started so far is queued (tests and shutdown await it instead of waiting on the clock).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values.Select(r => r.Done));

    /// <summary>The ffmpeg command line of one clip (public so the docs and tests show exactly what runs).</summary>
    public static IReadOnlyList<string> Arguments(VideoConfig video, string file)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        if (video.Source == VideoConfig.TestPattern)
        {
            args.AddRange(["-f", "lavfi", "-i", $"testsrc2=size={video.Width}x{video.Height}:rate=10"]);
        }
        else if (video.Source.StartsWith("/dev/", StringComparison.Ordinal))
        {
            args.AddRange(["-f", "v4l2", "-video_size", $"{video.Width}x{video.Height}", "-i", video.Source]);
        }
        else
        {
            args.AddRange(["-rtsp_transport", "tcp", "-i", video.Source]);
        }

        args.AddRange([
            "-t", video.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-an",
            "-vf", $"scale={video.Width}:{video.Height},fps=10", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-fs", (PhotoChunker.MaxPhotoBytes - 64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", "mp4", file,
        ]);
        return args;
    }

    public void Dispose()
    {
        foreach ((Process process, _) in _running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // already exited
            }
        }
    }

    private async Task CollectAsync(string clipId, Process process, string file)
    {
        try
        {
            string errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(file))
            {
                _finished.Enqueue(new RecordedClip { ClipId = clipId, Problem = $"ffmpeg exited {process.ExitCode}: {Last(errors)}" });
                return;
            }

            _finished.Enqueue(new RecordedClip { ClipId = clipId, Mp4 = await File.ReadAllBytesAsync(file) });
        }
        catch (IOException e)
        {
            _finished.Enqueue(new RecordedClip { ClipId = clipId, Problem = $"clip file unreadable: {e.Message}" });
        }
        finally
        {
            File.Delete(file);
            process.Dispose();
            _running.TryRemove(clipId, out _);
        }
    }

    private static string Last(string errors)
    {
        string trimmed = errors.Trim();
        return trimmed.Length <= 300 ? trimmed : "…" + trimmed[^300..];
    }
}
