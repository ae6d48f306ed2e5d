using OpenCvSharp;

namespace SmartSeal.EdgeFaceGate.Inputs;

/// <summary>
/// Where the gate's frames come from: a camera, a stream or a folder of images. One reader thread
/// calls <see cref="Read"/>; each frame is a fresh 8-bit BGR <see cref="Mat"/> the caller disposes.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What the source reads, for logs and the status page.</summary>
    string Description { get; }

    /// <summary>The next frame, or a status saying why there is none (end of folder, camera lost...).</summary>
    FrameRead Read();
}

public enum FrameStatus
{
    Frame,

    /// <summary>A folder or file without looping has no more frames: the gate stops.</summary>
    End,

    /// <summary>An image that did not decode: counted and skipped, never matched.</summary>
    Unreadable,

    /// <summary>The camera or stream gave nothing: the gate reopens it after a pause.</summary>
    Disconnected,
}

/// <summary>One read: a frame (status <see cref="FrameStatus.Frame"/>) or why not; <see cref="Name"/> names the file for a folder.</summary>
public sealed record FrameRead(FrameStatus Status, Mat? Frame, string Name)
{
    public static FrameRead Of(Mat frame, string name) => new(FrameStatus.Frame, frame, name);
}
