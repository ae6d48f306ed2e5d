namespace SmartSeal.EdgeFaceGate.Inputs;

/// <summary>Turns the <c>--input</c> text into a source: a folder, a video file, a device or a URL.</summary>
public static class FrameSources
{
    public static IFrameSource Open(string input, bool loop = false)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new FrameSourceException("--input is empty (a folder, /dev/videoN, a camera index, a video file or an rtsp:// URL)");
        }

        if (Directory.Exists(input))
        {
            return new FolderFrameSource(input, loop);
        }

        bool device = input.StartsWith("/dev/video", StringComparison.Ordinal) || int.TryParse(input, out _);
        bool url = input.Contains("://", StringComparison.Ordinal);
        if (!device && !url && !File.Exists(input))
        {
            throw new FrameSourceException($"--input {input}: no such folder, file, camera or URL");
        }

        return new VideoCaptureFrameSource(input, loop);
    }
}

/// <summary>The input cannot be used at all (as opposed to a frame that failed).</summary>
public sealed class FrameSourceException(string message) : Exception(message);
