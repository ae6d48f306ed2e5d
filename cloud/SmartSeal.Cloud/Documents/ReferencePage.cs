using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The approved page as the picture comparison needs it: its rendering at <see cref="PagePicture.ReferenceDpi"/>
/// in grey pixels and its page code's corners there. Made once per page (<see cref="ApprovedPageReferences"/>):
/// rendering the page and finding its code cost more than the comparison's own steps.
/// </summary>
public sealed class ReferencePage
{
    private readonly byte[] _pixels;

    private ReferencePage(byte[] pixels, int width, int height, Point2f[] codeCorners)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        CodeCorners = codeCorners;
    }

    public int Width { get; }

    public int Height { get; }

    public Point2f[] CodeCorners { get; }

    /// <summary>Bytes held (for the cache's size limit).</summary>
    public long Bytes => _pixels.Length;

    /// <summary>The rendering (PNG) of an approved page; it must show its page code.</summary>
    public static ReferencePage FromPng(byte[] png)
    {
        using Mat grey = Cv2.ImDecode(png, ImreadModes.Grayscale);
        if (grey.Empty())
        {
            throw new InvalidOperationException("the approved page's rendering is not an image");
        }

        if (PageCodeReader.FindCode(grey) is not { } code)
        {
            throw new InvalidOperationException("the approved page's rendering shows no readable page code");
        }

        grey.GetArray(out byte[] pixels);
        return new ReferencePage(pixels, grey.Width, grey.Height, code.Corners);
    }

    /// <summary>A fresh grey image of the page (the caller disposes it; the cached pixels stay untouched).</summary>
    public Mat Grey()
    {
        var grey = new Mat(Height, Width, MatType.CV_8UC1);
        grey.SetArray(_pixels);
        return grey;
    }
}
