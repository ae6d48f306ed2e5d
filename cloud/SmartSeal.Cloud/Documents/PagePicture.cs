using System.Globalization;
using OpenCvSharp;
using CvScalar = OpenCvSharp.Scalar;

namespace SmartSeal.Cloud.Documents;

/// <summary>What the picture comparison decided.</summary>
public enum PictureOutcome
{
    /// <summary>Every mark on the photographed page is where the approved page has one, and no mark is missing.</summary>
    Same,

    /// <summary>Marks added, changed or removed in places (<see cref="PictureComparison.Changed"/>): the page is edited.</summary>
    Edited,

    /// <summary>The photo is too poor to tell (blur, glare, low light, too oblique, page not found): take it again.</summary>
    Retake,
}

/// <summary>
/// The picture comparison's result: the outcome, why (for a retake: what to fix), the changed regions
/// in approved-page pixels, the evidence image (rectified photo, changes marked) and the measures.
/// </summary>
public sealed record PictureComparison(PictureOutcome Outcome, string Detail, IReadOnlyList<Rect> Changed, byte[]? DifferenceImage, IReadOnlyList<string> Measures)
{
    /// <summary>The weight of the densest window: below a change, but how close to one.</summary>
    public int Strongest { get; init; }

    /// <summary>Every window's weight (row-major, approved-page pixels), and the map from the scaled photo to the approved page.</summary>
    internal WindowWeights? Weights { get; init; }

    /// <summary>
    /// Where a box of the OCR image lies on the approved page, and the densest window in it (with
    /// half a window around): how much the picture differs at the place the text reads differently.
    /// Weight 0 when the box falls outside the compared page.
    /// </summary>
    public (int Weight, Rect Region) At(Rect ocrBox, double[] ocrToPhoto)
    {
        (int weight, _, Rect region) = Around(ocrBox, ocrToPhoto);
        return (weight, region);
    }

    /// <summary>
    /// As <see cref="At"/>, with the densest window of approved ink the photo misses alone: a text
    /// deletion is there only if the approved page's ink is missing there.
    /// </summary>
    public (int Weight, int Missing, Rect Region) Around(Rect ocrBox, double[] ocrToPhoto)
    {
        if (Weights is not { } w || ocrBox.Width <= 0 || ocrBox.Height <= 0)
        {
            return (0, 0, default);
        }

        Point2f[] corners = [new(ocrBox.Left, ocrBox.Top), new(ocrBox.Right, ocrBox.Top), new(ocrBox.Right, ocrBox.Bottom), new(ocrBox.Left, ocrBox.Bottom)];
        Point2f[] inPhoto = corners.Select(p => new Point2f(
            (float)(ocrToPhoto[0] * p.X + ocrToPhoto[1] * p.Y + ocrToPhoto[2]),
            (float)(ocrToPhoto[3] * p.X + ocrToPhoto[4] * p.Y + ocrToPhoto[5]))).ToArray();
        using var toReference = new Mat(3, 3, MatType.CV_64FC1);
        toReference.SetArray(w.ToReference);
        Point2f[] onPage = Cv2.PerspectiveTransform(inPhoto, toReference);
        int half = PagePicture.WindowSide / 2;
        int left = (int)Math.Max(0, onPage.Min(p => p.X) - half), top = (int)Math.Max(0, onPage.Min(p => p.Y) - half);
        int right = (int)Math.Min(w.Width, onPage.Max(p => p.X) + half), bottom = (int)Math.Min(w.Height, onPage.Max(p => p.Y) + half);
        if (right <= left || bottom <= top)
        {
            return (0, 0, default);
        }

        float strongest = 0, missing = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                strongest = Math.Max(strongest, w.Density[y * w.Width + x]);
                missing = Math.Max(missing, w.MissingDensity[y * w.Width + x]);
            }
        }

        return ((int)Math.Round(strongest), (int)Math.Round(missing), new Rect(left, top, right - left, bottom - top));
    }

    /// <summary>The evidence image with the places the text confirms boxed as well (magenta).</summary>
    public byte[]? MarkedWith(IEnumerable<Rect> regions)
    {
        if (DifferenceImage is null)
        {
            return null;
        }

        using Mat image = Cv2.ImDecode(DifferenceImage, ImreadModes.Color);
        foreach (Rect region in regions)
        {
            Cv2.Rectangle(image, region, new CvScalar(255, 0, 255), 3);
        }

        Cv2.ImEncode(".jpg", image, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80));
        return jpeg;
    }
}

/// <summary>The weight of the window around every approved-page pixel (all differences, and missing approved ink alone), and the scaled photo → approved page homography (row-major 3×3).</summary>
internal sealed record WindowWeights(float[] Density, float[] MissingDensity, int Width, int Height, double[] ToReference);

/// <summary>
/// Compares a page photo with the approved page's rendering as pictures: the photo is rectified onto
/// the rendering (the page code gives orientation and scale, the page's outline the perspective, and
/// an ECC alignment on the text the last pixel), both are binarised (the photo after its lighting is
/// flattened), and every ink pixel of one that has no ink within <see cref="Tolerance"/> pixels in the
/// other counts. Counted pixels that gather in one place (a window the size of a few characters) are a
/// change; print and photo noise scatter. Changes on a poor photo ask for a retake rather than call
/// the page edited: blur, dim light, glare and a steep angle are measured and named.
/// </summary>
public static class PagePicture
{
    /// <summary>Pixels (at the reference's scale) a mark may move or grow between rendering and photo.</summary>
    private const int Tolerance = 1;

    /// <summary>Side of the window (reference pixels) in which counted pixels gather to make a change.</summary>
    private const int Window = 18;

    internal const int WindowSide = Window;

    /// <summary>The approved page is rendered at this resolution: about the page's size in a 2 MP photo.</summary>
    public const int ReferenceDpi = 120;

    public static PictureComparison Compare(byte[] photo, int maxWidth, Point2f[] photoCode, ReferencePage referencePage, PictureThresholds thresholds)
    {
        var measures = new List<string>();
        // Each step's time in the measures (wall / CPU ms): where the comparison's cost goes.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long cpu = StepTimes.CpuMilliseconds();
        var split = new List<string>();
        void Lap(string step)
        {
            long now = StepTimes.CpuMilliseconds();
            split.Add($"{step} {clock.ElapsedMilliseconds}/{now - cpu} ms");
            cpu = now;
            clock.Restart();
        }

        using Mat decoded = Cv2.ImDecode(photo, ImreadModes.Grayscale);
        using Mat grey = PageCodeReader.ScaleDown(decoded, maxWidth);
        using Mat reference = referencePage.Grey();
        Point2f[] referenceCorners = referencePage.CodeCorners;
        Lap("photo decoded");
        var size = new Size(reference.Width, reference.Height);
        using Mat coarse = FromCode(photoCode, referenceCorners);
        using Mat? outline = FromOutline(grey, coarse, size);
        measures.Add(outline is null ? "rectified from the page code (page outline not found)" : "rectified from the page outline");
        Lap("outline");
        using Mat toReference = Refine(grey, outline ?? coarse, reference, thresholds, measures);
        Lap("ECC");

        using var rectified = new Mat();
        Cv2.WarpPerspective(grey, rectified, toReference, size, InterpolationFlags.Linear, BorderTypes.Constant, new CvScalar(0));
        using var valid = new Mat();
        using (var ones = new Mat(grey.Size(), MatType.CV_8UC1, new CvScalar(255)))
        {
            Cv2.WarpPerspective(ones, valid, toReference, size, InterpolationFlags.Nearest, BorderTypes.Constant, new CvScalar(0));
        }

        double visible = Cv2.CountNonZero(valid) / (double)(size.Width * size.Height);
        int margin = reference.Width / 40;
        Cv2.Rectangle(valid, new Rect(0, 0, size.Width, size.Height), new CvScalar(0), margin);
        Cv2.Erode(valid, valid, null, iterations: 3);
        // The code itself is checked by its MAC; its tiny modules are the noisiest marks of a photo.
        Cv2.FillConvexPoly(valid, Grown(referenceCorners, margin).Select(p => new Point((int)p.X, (int)p.Y)).ToArray(), new CvScalar(0));

        using var referenceInk = new Mat();
        Cv2.Threshold(reference, referenceInk, 160, 255, ThresholdTypes.BinaryInv);
        Cv2.BitwiseAnd(referenceInk, valid, referenceInk);
        PhotoQuality quality = PhotoQuality.Measure(rectified, valid, referenceInk, toReference, size, visible);
        measures.Add(quality.Describe());
        Lap("warp + quality");

        // Ink in two strengths: a mark the approved page lacks must be clearly dark (moiré bands and
        // shadows are not); a mark it has needs only a faint trace (a thin stroke in a soft photo).
        using Mat flat = Flatten(rectified);
        Cv2.GaussianBlur(flat, flat, new Size(0, 0), 0.7);
        using Mat strongInk = Ink(flat, 180, valid);
        using Mat faintInk = Ink(flat, 205, valid);
        using Mat added = Unmatched(strongInk, referenceInk);
        using Mat removed = Unmatched(referenceInk, faintInk);
        using var counted = new Mat();
        Cv2.Add(added, removed, counted);
        List<Rect> changed = Gathered(counted, thresholds.ChangeWeight, out int strongest, out float[] density);
        toReference.GetArray(out double[] homography);
        float[] missingDensity;
        using (var missing = new Mat())
        {
            Cv2.BoxFilter(removed, missing, MatType.CV_32FC1, new Size(Window, Window), normalize: false);
            missing.GetArray(out missingDensity);
        }

        var weights = new WindowWeights(density, missingDensity, size.Width, size.Height, homography);
        double suspectShare = density.Count(d => d >= thresholds.SuspectWeight) / (double)density.Length;
        measures.Add(string.Create(CultureInfo.InvariantCulture,
            $"picture: {Cv2.CountNonZero(added)} px added, {Cv2.CountNonZero(removed)} px missing, densest window {strongest} ({thresholds.ChangeWeight} make a change), {changed.Count} changed region(s), windows ≥ {thresholds.SuspectWeight}: {suspectShare:P2}"));

        Lap("ink + distances + windows");
        byte[] evidence = Evidence(rectified, added, removed, changed);
        Lap("evidence image");
        measures.Add("time: picture steps (wall/CPU): " + string.Join(", ", split));
        if (quality.VisibleShare < thresholds.MinVisibleShare)
        {
            return new PictureComparison(PictureOutcome.Retake, $"retake the photo: {quality.Problem(thresholds)}", changed, evidence, measures) { Strongest = strongest, Weights = weights };
        }

        if (changed.Count == 0)
        {
            return new PictureComparison(PictureOutcome.Same, "the photo shows the approved page", changed, evidence, measures) { Strongest = strongest, Weights = weights };
        }

        if (quality.Problem(thresholds) is { } problem)
        {
            return new PictureComparison(PictureOutcome.Retake, $"retake the photo: {problem}", changed, evidence, measures) { Strongest = strongest, Weights = weights };
        }

        return new PictureComparison(PictureOutcome.Edited, Describe(changed, size), changed, evidence, measures) { Strongest = strongest, Weights = weights };
    }

    /// <summary>Where the changes are, as a person reads a page: "top right", "middle", ...</summary>
    private static string Describe(List<Rect> changed, Size size)
    {
        static string Part(double share, string low, string mid, string high) => share < 1 / 3.0 ? low : share < 2 / 3.0 ? mid : high;
        IEnumerable<string> places = changed.OrderBy(r => r.Y).ThenBy(r => r.X).Take(6).Select(r =>
        {
            double x = (r.X + r.Width / 2.0) / size.Width, y = (r.Y + r.Height / 2.0) / size.Height;
            return string.Create(CultureInfo.InvariantCulture, $"{Part(y, "top", "middle", "bottom")}-{Part(x, "left", "centre", "right")} at {100 * y:F0}% down");
        });
        return $"{changed.Count} region(s) differ from the approved page: {string.Join(", ", places)}";
    }

    /// <summary>Photo to reference from the code's corners: a similarity (a small code fixes no perspective).</summary>
    private static Mat FromCode(Point2f[] photoCode, Point2f[] referenceCode)
    {
        using Mat affine = Cv2.EstimateAffinePartial2D(InputArray.Create(photoCode), InputArray.Create(referenceCode))
            ?? throw new InvalidOperationException("the page code's corners give no transform");
        var full = Mat.Eye(3, 3, MatType.CV_64FC1).ToMat();
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                full.Set(r, c, affine.At<double>(r, c));
            }
        }

        return full;
    }

    /// <summary>
    /// The page's outline in the photo (the largest bright quadrilateral), its corners matched to the
    /// reference's through the code's similarity: a homography that takes the perspective. Null when
    /// there is no such outline (the page fills the frame or lies on a white desk).
    /// </summary>
    private static Mat? FromOutline(Mat grey, Mat coarse, Size size)
    {
        using var small = new Mat();
        double shrink = 600.0 / Math.Max(grey.Width, grey.Height);
        Cv2.Resize(grey, small, new Size(0, 0), shrink, shrink, InterpolationFlags.Area);
        Cv2.GaussianBlur(small, small, new Size(5, 5), 0);
        using var bright = new Mat();
        Cv2.Threshold(small, bright, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        Cv2.MorphologyEx(bright, bright, MorphTypes.Close, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(15, 15)));
        Cv2.FindContours(bright, out Point[][] contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        Point[]? page = contours.OrderByDescending(c => Cv2.ContourArea(c)).FirstOrDefault();
        if (page is null || Cv2.ContourArea(page) < 0.2 * small.Width * small.Height)
        {
            return null;
        }

        Point[] quad = Cv2.ApproxPolyDP(page, 0.02 * Cv2.ArcLength(page, true), true);
        if (quad.Length != 4 || !Cv2.IsContourConvex(quad))
        {
            return null;
        }

        Point2f[] corners = quad.Select(p => new Point2f((float)(p.X / shrink), (float)(p.Y / shrink))).ToArray();
        Point2f[] mapped = Cv2.PerspectiveTransform(corners, coarse);
        Point2f[] target = [new(0, 0), new(size.Width, 0), new(size.Width, size.Height), new(0, size.Height)];
        var ordered = new Point2f[4];
        var used = new bool[4];
        double diagonal = Math.Sqrt(size.Width * (double)size.Width + size.Height * (double)size.Height);
        for (int t = 0; t < 4; t++)
        {
            int nearest = Enumerable.Range(0, 4).MinBy(i => mapped[i].DistanceTo(target[t]));
            if (mapped[nearest].DistanceTo(target[t]) > 0.2 * diagonal || used[nearest])
            {
                return null;
            }

            used[nearest] = true;
            ordered[t] = corners[nearest];
        }

        return Cv2.GetPerspectiveTransform(ordered, target);
    }

    /// <summary>
    /// The last pixels: an ECC homography between the rectified photo and the reference (both at half
    /// size, smoothed). An alignment that does not converge or moves far keeps the first estimate.
    /// </summary>
    private static Mat Refine(Mat grey, Mat first, Mat reference, PictureThresholds thresholds, List<string> measures)
    {
        var size = new Size(reference.Width, reference.Height);
        using var rectified = new Mat();
        Cv2.WarpPerspective(grey, rectified, first, size, InterpolationFlags.Linear, BorderTypes.Replicate);
        using Mat flat = Flatten(rectified);
        using var warp = Mat.Eye(3, 3, MatType.CV_32FC1).ToMat();
        double correlation = 0;
        // Coarse to fine: a quarter size finds a shift of whole lines, half size the last pixel.
        // Iterations bounded per level (the CPU of a decision, issue 22): the page outline is already
        // close, the quarter size converges in a few dozen steps, half size needs only a few more.
        foreach ((double scale, double smoothing, int iterations) in new[] { (0.25, 2.0, thresholds.AlignmentIterations), (0.5, 1.5, thresholds.FineAlignmentIterations) })
        {
            using Mat photoSmall = Smoothed(flat, scale, smoothing);
            using Mat referenceSmall = Smoothed(reference, scale, smoothing);
            try
            {
                correlation = Cv2.FindTransformECC(referenceSmall, photoSmall, warp, MotionTypes.Homography, new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, iterations, 1e-4), null, 3);
            }
            catch (OpenCVException e)
            {
                measures.Add("alignment did not converge: " + e.Message);
                return first.Clone();
            }

            if (scale < 0.5)
            {
                // The next level's pixels are twice as many: translation doubles, perspective halves.
                warp.Set(0, 2, warp.At<float>(0, 2) * 2);
                warp.Set(1, 2, warp.At<float>(1, 2) * 2);
                warp.Set(2, 0, warp.At<float>(2, 0) / 2);
                warp.Set(2, 1, warp.At<float>(2, 1) / 2);
            }
        }

        measures.Add(string.Create(CultureInfo.InvariantCulture, $"alignment correlation {correlation:F2}"));
        // warp maps reference (half size) to rectified (half size): scale it to full size, then photo → reference = warp⁻¹ · first.
        using var full = new Mat();
        warp.ConvertTo(full, MatType.CV_64FC1);
        full.Set(0, 2, full.At<double>(0, 2) * 2);
        full.Set(1, 2, full.At<double>(1, 2) * 2);
        full.Set(2, 0, full.At<double>(2, 0) / 2);
        full.Set(2, 1, full.At<double>(2, 1) / 2);
        Point2f[] corners = [new(0, 0), new(size.Width, 0), new(size.Width, size.Height), new(0, size.Height)];
        double moved = Cv2.PerspectiveTransform(corners, full).Zip(corners, (a, b) => a.DistanceTo(b)).Max();
        if (moved > size.Width / 5.0 || correlation < 0.6)
        {
            measures.Add(string.Create(CultureInfo.InvariantCulture, $"alignment moved {moved:F0} px at correlation {correlation:F2}: not used"));
            return first.Clone();
        }

        return (full.Inv() * first).ToMat();
    }

    private static Mat Smoothed(Mat image, double scale, double sigma)
    {
        var small = new Mat();
        Cv2.Resize(image, small, new Size(0, 0), scale, scale, InterpolationFlags.Area);
        small.ConvertTo(small, MatType.CV_32FC1);
        Cv2.GaussianBlur(small, small, new Size(0, 0), sigma);
        return small;
    }

    /// <summary>The photo's lighting divided out: paper near 255 everywhere, ink dark (a shadow or a dim corner is not ink).</summary>
    internal static Mat Flatten(Mat grey)
    {
        using var paper = new Mat();
        Cv2.Dilate(grey, paper, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(9, 9)));
        Cv2.GaussianBlur(paper, paper, new Size(0, 0), 6);
        var flat = new Mat();
        Cv2.Divide(grey, paper, flat, 255);
        return flat;
    }

    private static Mat Ink(Mat flat, double below, Mat valid)
    {
        var ink = new Mat();
        Cv2.Threshold(flat, ink, below, 255, ThresholdTypes.BinaryInv);
        Cv2.BitwiseAnd(ink, valid, ink);
        return ink;
    }

    /// <summary>
    /// Ink of <paramref name="ink"/> with no ink of <paramref name="other"/> within the tolerance,
    /// weighted by how far beyond it the nearest ink is (1 to 4): a stroke that is not there at all
    /// weighs more than an edge a blur moved. A float image.
    /// </summary>
    private static Mat Unmatched(Mat ink, Mat other)
    {
        using var notOther = new Mat();
        Cv2.BitwiseNot(other, notOther);
        using var distance = new Mat();
        Cv2.DistanceTransform(notOther, distance, DistanceTypes.L2, DistanceTransformMasks.Mask3);
        var weight = new Mat();
        Cv2.Subtract(distance, new CvScalar(Tolerance), weight);
        Cv2.Threshold(weight, weight, 0, 0, ThresholdTypes.Tozero);
        Cv2.Threshold(weight, weight, 4, 4, ThresholdTypes.Trunc);
        using var mask = new Mat();
        Cv2.BitwiseNot(ink, mask);
        weight.SetTo(new CvScalar(0), mask);
        return weight;
    }

    /// <summary>The quadrilateral pushed out from its centre by <paramref name="by"/> pixels.</summary>
    private static Point2f[] Grown(Point2f[] quad, int by)
    {
        var centre = new Point2f(quad.Average(p => p.X), quad.Average(p => p.Y));
        return quad.Select(p =>
        {
            double length = Math.Max(1, p.DistanceTo(centre));
            return new Point2f((float)(p.X + (p.X - centre.X) / length * by), (float)(p.Y + (p.Y - centre.Y) / length * by));
        }).ToArray();
    }

    /// <summary>Windows where at least <paramref name="pixels"/> counted pixels gather, merged into regions.</summary>
    private static List<Rect> Gathered(Mat counted, int pixels, out int strongest, out float[] weights)
    {
        using var density = new Mat();
        Cv2.BoxFilter(counted, density, MatType.CV_32FC1, new Size(Window, Window), normalize: false);
        density.GetArray(out weights);
        Cv2.MinMaxLoc(density, out _, out double max);
        strongest = (int)Math.Round(max);
        using var dense = new Mat();
        Cv2.Threshold(density, dense, pixels - 0.5, 255, ThresholdTypes.Binary);
        dense.ConvertTo(dense, MatType.CV_8UC1);
        Cv2.Dilate(dense, dense, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(Window, Window)));
        Cv2.FindContours(dense, out Point[][] regions, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        return regions.Select(r => Cv2.BoundingRect(r)).ToList();
    }

    /// <summary>The rectified photo in grey with ink the approved page lacks in red, ink it misses in blue, changed regions boxed: a JPEG.</summary>
    private static byte[] Evidence(Mat rectified, Mat added, Mat removed, List<Rect> changed)
    {
        using var colour = new Mat();
        Cv2.CvtColor(rectified, colour, ColorConversionCodes.GRAY2BGR);
        using var addedMask = new Mat();
        using var removedMask = new Mat();
        Cv2.Threshold(added, addedMask, 0, 255, ThresholdTypes.Binary);
        Cv2.Threshold(removed, removedMask, 0, 255, ThresholdTypes.Binary);
        addedMask.ConvertTo(addedMask, MatType.CV_8UC1);
        removedMask.ConvertTo(removedMask, MatType.CV_8UC1);
        colour.SetTo(new CvScalar(0, 0, 230), addedMask);
        colour.SetTo(new CvScalar(230, 80, 0), removedMask);
        foreach (Rect region in changed)
        {
            Cv2.Rectangle(colour, region, new CvScalar(0, 0, 255), 3);
        }

        Cv2.ImEncode(".jpg", colour, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80));
        return jpeg;
    }
}
