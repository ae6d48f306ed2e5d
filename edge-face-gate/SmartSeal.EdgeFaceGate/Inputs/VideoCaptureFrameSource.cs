using OpenCvSharp;

namespace SmartSeal.EdgeFaceGate.Inputs;

/// <summary>
/// A V4L2 camera (<c>/dev/video0</c> or its index), an RTSP/HTTP URL or a video file, through
/// OpenCV's <see cref="VideoCapture"/>. An empty read from a camera or stream means it went away:
/// the source reports <see cref="FrameStatus.Disconnected"/> and reopens on the next read, so a
/// camera unplugged and plugged back resumes without restarting the gate. A file ends instead.
/// </summary>
public sealed class VideoCaptureFrameSource : IFrameSource
{
    private readonly string _target;
    private readonly bool _isFile;
    private readonly bool _loop;
    private VideoCapture? _capture;
    private long _frames;

    public VideoCaptureFrameSource(string target, bool loop = false)
    {
        _target = target;
        _isFile = File.Exists(target) && !target.StartsWith("/dev/", StringComparison.Ordinal);
        _loop = loop;
        Description = _isFile ? $"video file {target}" : target.Contains("://", StringComparison.Ordinal) ? $"stream {target}" : $"camera {target}";
    }

    public string Description { get; }

    public bool IsOpen => _capture is { } c && c.IsOpened();

    public FrameRead Read()
    {
        if (!IsOpen && !Open())
        {
            return new FrameRead(FrameStatus.Disconnected, null, $"{_target} did not open");
        }

        var frame = new Mat();
        if (_capture!.Read(frame) && !frame.Empty())
        {
            _frames++;
            return FrameRead.Of(frame, $"frame {_frames}");
        }

        frame.Dispose();
        Close();
        if (_isFile && !_loop)
        {
            return new FrameRead(FrameStatus.End, null, string.Empty);
        }

        return _isFile ? Read() : new FrameRead(FrameStatus.Disconnected, null, $"{_target} gave no frame");
    }

    private bool Open()
    {
        Close();
        _capture = int.TryParse(_target, out int index) ? new VideoCapture(index, VideoCaptureAPIs.V4L2)
            : _target.StartsWith("/dev/video", StringComparison.Ordinal) ? new VideoCapture(_target, VideoCaptureAPIs.V4L2)
            : new VideoCapture(_target);
        return _capture.IsOpened();
    }

    private void Close()
    {
        _capture?.Dispose();
        _capture = null;
    }

    public void Dispose() => Close();
}
