using System.Globalization;
using OpenCvSharp;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The limits of a photo the picture comparison trusts (<c>SmartSeal:Documents:Picture</c>): how many
/// counted pixels gathered in one window make a change, and what makes a photo too poor to call a
/// page edited (then it is a retake, named so the lock's user can fix it).
/// </summary>
public sealed class PictureThresholds
{
    /// <summary>
    /// Weight (ink without a match within the tolerance, each pixel 1 to 4 by how far the nearest match
    /// is) gathered in one window that makes a change. Calibrated on genuine photos: Documents README.
    /// </summary>
    public int ChangeWeight { get; set; } = 60;

    /// <summary>
    /// Most ECC steps of the alignment at quarter size (whole lines) and at half size (the last pixel):
    /// the alignment is most of a decision's CPU, and the page outline already brings it close.
    /// </summary>
    public int AlignmentIterations { get; set; } = 40;

    public int FineAlignmentIterations { get; set; } = 12;

    /// <summary>
    /// A densest window of at least this weight, below a change, is a suspicion: with the text
    /// reading a value differently there, the page is edited; a text difference on a picture quieter
    /// than this is the OCR's doing and asks for a retake.
    /// </summary>
    public int SuspectWeight { get; set; } = 20;

    /// <summary>
    /// A change the picture proves on its own, with the text reading as approved. Below it, a picture
    /// change the text does not confirm asks for a retake: a genuine photo turned by 10° once reached
    /// a change (one window at the title) while edits of whole words and clauses weigh 128–800.
    /// </summary>
    public int CertainWeight { get; set; } = 120;

    /// <summary>Share of the page the photo must show: what is not in the photo cannot be checked.</summary>
    public double MinVisibleShare { get; set; } = 0.9;

    /// <summary>Paper darker than this (0..255, mean of the page): too little light.</summary>
    public double MinPaperLevel { get; set; } = 70;

    /// <summary>Share of the approved page's ink burnt white in the photo (≥ 235): glare.</summary>
    public double MaxGlareShare { get; set; } = 0.03;

    /// <summary>Shorter over longer of the page's opposite sides in the photo: below this the photo is too oblique.</summary>
    public double MinSideRatio { get; set; } = 0.8;

    /// <summary>Sharpness (mean gradient at edges of the flattened page) below this: blurred.</summary>
    public double MinSharpness { get; set; } = 40;

    /// <summary>Photo pixels per approved-page pixel below this: the page is too small in the photo (too far).</summary>
    public double MinScale { get; set; } = 0.7;
}

/// <summary>How good a page photo is, measured on the photo and on the page rectified out of it.</summary>
public sealed record PhotoQuality(double Sharpness, double PaperLevel, double GlareShare, double SideRatio, double Scale, double VisibleShare)
{
    public static PhotoQuality Measure(Mat rectified, Mat valid, Mat referenceInk, Mat toReference, Size size, double visibleShare)
    {
        using Mat toPhoto = toReference.Inv().ToMat();
        Point2f[] page = Cv2.PerspectiveTransform([new Point2f(0, 0), new Point2f(size.Width, 0), new Point2f(size.Width, size.Height), new Point2f(0, size.Height)], toPhoto);
        double top = page[0].DistanceTo(page[1]), right = page[1].DistanceTo(page[2]), bottom = page[2].DistanceTo(page[3]), left = page[3].DistanceTo(page[0]);
        double sideRatio = Math.Min(Math.Min(top, bottom) / Math.Max(top, bottom), Math.Min(left, right) / Math.Max(left, right));
        double scale = (top + bottom) / 2 / size.Width;

        double paper = Cv2.Mean(rectified, valid).Val0;
        // Glare is light that hides print: ink of the approved page that the photo shows burnt white
        // where the paper around it is burnt too. Ink that is merely elsewhere (a page re-typeset, a
        // block moved) leaves ordinary paper at the approved ink's place: that is a change, not glare.
        using var burnt = new Mat();
        Cv2.Threshold(rectified, burnt, 234, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(burnt, referenceInk, burnt);
        using (var paperLight = new Mat())
        {
            Cv2.Dilate(rectified, paperLight, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(9, 9)));
            Cv2.GaussianBlur(paperLight, paperLight, new Size(0, 0), 6);
            Cv2.Threshold(paperLight, paperLight, 247, 255, ThresholdTypes.Binary);
            Cv2.BitwiseAnd(burnt, paperLight, burnt);
        }

        double glare = Cv2.CountNonZero(burnt) / (double)Math.Max(1, Cv2.CountNonZero(referenceInk));

        // Sharpness: the mean gradient over the strongest edges of the flattened page. Blur spreads an
        // edge over more pixels and lowers its gradient; noise raises weak gradients, not the strongest.
        using Mat flat = PagePicture.Flatten(rectified);
        Cv2.GaussianBlur(flat, flat, new Size(0, 0), 0.8);
        using var gx = new Mat();
        using var gy = new Mat();
        Cv2.Sobel(flat, gx, MatType.CV_32FC1, 1, 0);
        Cv2.Sobel(flat, gy, MatType.CV_32FC1, 0, 1);
        using var magnitude = new Mat();
        Cv2.Magnitude(gx, gy, magnitude);
        return new PhotoQuality(StrongestMean(magnitude, valid, 0.01) / 4, paper, glare, sideRatio, scale, visibleShare);
    }

    /// <summary>The first reason the photo is too poor to call a page edited, said so the user can fix it; null when it is good enough.</summary>
    public string? Problem(PictureThresholds limits) =>
        VisibleShare < limits.MinVisibleShare ? "part of the page is outside the photo: put the whole page in view"
        : SideRatio < limits.MinSideRatio ? "taken too obliquely: hold the camera square over the page"
        : Scale < limits.MinScale ? "the page is too small in the photo: bring the page closer"
        : PaperLevel < limits.MinPaperLevel ? "too little light: light the page evenly"
        : GlareShare > limits.MaxGlareShare ? "glare on the page: tilt it away from the light"
        : Sharpness < limits.MinSharpness ? "blurred: hold the page still in focus"
        : null;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"photo quality: sharpness {Sharpness:F0}, paper {PaperLevel:F0}, glare {GlareShare:P1}, sides {SideRatio:F2}, scale {Scale:F2}, page in view {VisibleShare:P0}");

    /// <summary>Mean of the top <paramref name="share"/> of values within the mask.</summary>
    private static double StrongestMean(Mat values, Mat mask, double share)
    {
        values.GetArray(out float[] all);
        mask.GetArray(out byte[] inside);
        // Every third pixel is plenty for a mean of the strongest edges, and a third of the sorting.
        float[] kept = all.Where((_, i) => i % 3 == 0 && inside[i] != 0).ToArray();
        if (kept.Length == 0)
        {
            return 0;
        }

        Array.Sort(kept);
        int count = Math.Max(1, (int)(kept.Length * share));
        double sum = 0;
        for (int i = kept.Length - count; i < kept.Length; i++)
        {
            sum += kept[i];
        }

        return sum / count;
    }
}
