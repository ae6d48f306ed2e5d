using OpenCvSharp;

namespace SmartSeal.EdgeFaceGate.Inputs;

/// <summary>
/// Images of a folder (*.jpg, *.jpeg, *.png, *.bmp) in ordinal name order, once or in a loop: the
/// demo and test input. The list is taken when the source opens, so files added later are not read.
/// </summary>
public sealed class FolderFrameSource : IFrameSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];
    private readonly string[] _files;
    private readonly bool _loop;
    private int _next;

    public FolderFrameSource(string folder, bool loop = false)
    {
        if (!Directory.Exists(folder))
        {
            throw new FrameSourceException($"no folder {folder}");
        }

        _files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        _loop = loop;
        Description = $"folder {folder} ({_files.Length} images{(loop ? ", looping" : string.Empty)})";
    }

    public string Description { get; }

    public int Count => _files.Length;

    public FrameRead Read()
    {
        if (_next >= _files.Length)
        {
            if (!_loop || _files.Length == 0)
            {
                return new FrameRead(FrameStatus.End, null, string.Empty);
            }

            _next = 0;
        }

        string file = _files[_next++];
        Mat frame = Cv2.ImRead(file, ImreadModes.Color);
        if (frame.Empty())
        {
            frame.Dispose();
            return new FrameRead(FrameStatus.Unreadable, null, Path.GetFileName(file));
        }

        return FrameRead.Of(frame, Path.GetFileName(file));
    }

    public void Dispose()
    {
    }
}
