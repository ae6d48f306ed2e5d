using System.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;
using SmartSeal.Cloud.Tests.Documents;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// A legacy seal's scan as the impression: the cleaning keeps the red ink and makes paper and
/// black print transparent, refuses what is not a usable scan, and the sealed PDF draws the scan
/// as an image XObject with a soft mask, on a spot, every page and across the pages, which pdfsig
/// verifies and poppler renders red over the page's text without hiding it.
/// </summary>
public sealed class ImpressionScanTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "smartseal-scans", Guid.NewGuid().ToString("n"));

    public ImpressionScanTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Cleaning_makes_paper_and_black_print_transparent_keeps_the_red_ink_and_crops_to_it()
    {
        CleanedScan cleaned = ImpressionScanCleaner.Clean(ScannedSeals.Png());
        Assert.Equal("image/png", cleaned.ContentType);
        using Mat image = Cv2.ImDecode(cleaned.Png, ImreadModes.Unchanged);
        Assert.Equal(4, image.Channels());

        // Cropped to the ring's outer edge: 2 × (radius + half the ring) across, give or take the antialiased edge.
        int outer = 2 * (ScannedSeals.Radius + (ScannedSeals.Ring / 2));
        Assert.InRange(cleaned.WidthPx, outer - 4, outer + 4);
        Assert.InRange(cleaned.HeightPx, outer - 4, outer + 4);
        int offset = (ScannedSeals.Side - cleaned.WidthPx) / 2; // the crop's origin in the scan

        Vec4b Pixel(int xInScan, int yInScan) => image.At<Vec4b>(yInScan - offset, xInScan - offset);
        int c = ScannedSeals.Side / 2;
        Vec4b ring = Pixel(c - ScannedSeals.Radius, c), dot = Pixel(c, c);
        Vec4b paperInside = Pixel(c - (ScannedSeals.Radius / 2), c), corner = image.At<Vec4b>(0, 0);
        Assert.Equal(255, ring.Item3);
        Assert.Equal(255, dot.Item3);
        Assert.Equal(0, paperInside.Item3);
        Assert.Equal(0, corner.Item3);

        // The black print inside the ring is not ink: its darkest pixel is transparent.
        using Mat scan = ScannedSeals.Draw();
        using Mat alpha = ImpressionScanCleaner.InkAlpha(scan);
        using Mat grey = new();
        Cv2.CvtColor(scan, grey, ColorConversionCodes.BGR2GRAY);
        using Mat printMask = new();
        Cv2.InRange(grey, new OpenCvSharp.Scalar(0), new OpenCvSharp.Scalar(60), printMask);
        Assert.True(Cv2.CountNonZero(printMask) > 200, "the scan has black print");
        using Mat alphaOnPrint = new();
        alpha.CopyTo(alphaOnPrint, printMask);
        Assert.Equal(0, Cv2.CountNonZero(alphaOnPrint));

        // Every pixel carries the ink's colour (BGR ≈ 45, 35, 205), so soft edges fade instead of turning pink.
        Assert.Equal((45, 35, 205), ((int)ring.Item0, (int)ring.Item1, (int)ring.Item2), new ColourCloseTo(6));
        Assert.Equal(((int)ring.Item0, (int)ring.Item1, (int)ring.Item2), ((int)corner.Item0, (int)corner.Item1, (int)corner.Item2));

        // A JPEG of the same scan (block noise and all) cleans the same way.
        CleanedScan fromJpeg = ImpressionScanCleaner.Clean(ScannedSeals.Jpeg());
        Assert.Equal("image/jpeg", fromJpeg.ContentType);
        Assert.InRange(fromJpeg.WidthPx, outer - 6, outer + 6);
        using Mat jpegImage = Cv2.ImDecode(fromJpeg.Png, ImreadModes.Unchanged);
        Assert.Equal(0, jpegImage.At<Vec4b>(jpegImage.Height / 2, jpegImage.Width / 4).Item3);
        Assert.True(jpegImage.At<Vec4b>(jpegImage.Height / 2, 4).Item3 > 200);

        // Deterministic: the same upload gives the same bytes.
        Assert.Equal(cleaned.Png, ImpressionScanCleaner.Clean(ScannedSeals.Png()).Png);
    }

    [Fact]
    public void What_is_not_a_usable_scan_is_refused_with_the_reason()
    {
        byte[] pdf = TestDocuments.Pdf(TestDocuments.ContractPages);
        Assert.Equal(ScanProblem.UnsupportedType, Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean(pdf)).Problem);
        Assert.Equal(ScanProblem.UnsupportedType, Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean("GIF89a......"u8.ToArray())).Problem);

        ImpressionScanException grey = Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean(ScannedSeals.GreyPng()));
        Assert.Equal(ScanProblem.Unusable, grey.Problem);
        Assert.Contains("no red seal ink", grey.Message, StringComparison.Ordinal);

        using (var tiny = new Mat(20, 20, MatType.CV_8UC3, ScannedSeals.Ink))
        {
            Cv2.ImEncode(".png", tiny, out byte[] png);
            Assert.Contains("20×20 px", Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean(png)).Message, StringComparison.Ordinal);
        }

        byte[] truncated = ScannedSeals.Png()[..400];
        Assert.Equal(ScanProblem.Unusable, Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean(truncated)).Problem);

        // A PNG header that declares a 50 000 px picture is refused before anything decodes it.
        byte[] bomb = ScannedSeals.Png();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), 50_000);
        Assert.Contains("50000×600", Assert.Throws<ImpressionScanException>(() => ImpressionScanCleaner.Clean(bomb)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_sealed_with_a_scan_draws_it_as_an_image_with_a_soft_mask_verifies_in_pdfsig_and_shows_the_text_under_it()
    {
        CleanedScan cleaned = ImpressionScanCleaner.Clean(ScannedSeals.Png());
        var scan = new ScannedImpression("scan-test", cleaned.Png, cleaned.WidthPx, cleaned.HeightPx, 40, 40);
        using var token = SoftHsm.Token(SoftHsm.NewTokenLabel());
        using var authority = new SealCertificateAuthority(Options.Create(new ESealOptions { Organisation = "测试集团有限公司" }), Path.Combine(_directory, "ca"), TimeProvider.System);
        using var tsa = new LedgerTimeStampAuthority(Path.Combine(_directory, "tsa.pem"), TimeProvider.System);
        var seal = new Seal("seal-scan", "合同专用章", SealType.Contract, "gd", 1, null, null, SealState.InUse, SealLocationKind.Unknown, null, 0, 0, 0);
        RSAParameters publicKey = token.GenerateKeyPair("e-seal:seal-scan");
        using X509Certificate2 certificate = authority.Issue(seal, publicKey);
        using var key = new TokenRsa(token, "e-seal:seal-scan", publicKey);
        var signer = new SealSigner(certificate, [authority.Issuing, authority.Root], key, seal.Name);

        byte[] contract = PdfIntake.Prepare(TestDocuments.Pdf(TestDocuments.ContractPages), 50_000_000);
        var overText = new SealSpot(1, 140, 842 - 100); // over the title line
        SealedPdf sealedPdf = PdfSealer.Seal(contract, scan, new SealPlacement { Spots = [overText], EveryPage = true, CrossPage = true }, signer, request => tsa.Respond(request), DateTimeOffset.UtcNow, "合同签署");

        string path = Path.Combine(_directory, "sealed.pdf");
        File.WriteAllBytes(path, sealedPdf.Bytes);
        string pdfsig = ExternalTool.Run("pdfsig", path);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.Contains("Total document signed", pdfsig, StringComparison.Ordinal);
        Assert.Equal(ExternalTool.QpdfFindings(contract), ExternalTool.QpdfFindings(sealedPdf.Bytes));

        string update = Encoding.Latin1.GetString(sealedPdf.Bytes.AsSpan(contract.Length));
        Assert.Contains($"/Subtype /Image /Width {cleaned.WidthPx} /Height {cleaned.HeightPx}", update, StringComparison.Ordinal);
        Assert.Contains("/ColorSpace /DeviceGray", update, StringComparison.Ordinal); // the soft mask
        Assert.Contains("/SMask ", update, StringComparison.Ordinal);
        Assert.DoesNotContain("STSong-Light", update, StringComparison.Ordinal); // nothing drawn from text

        // Rendered by poppler: red ink where the ring is, and the title's black text still visible inside the impression.
        const int Dpi = 144;
        using Mat before = Cv2.ImDecode(TestDocuments.Render(contract, 1, Dpi), ImreadModes.Color);
        using Mat after = Cv2.ImDecode(TestDocuments.Render(sealedPdf.Bytes, 1, Dpi), ImreadModes.Color);
        double px = Dpi / 72.0, side = scan.WidthPoints * px;
        var box = new Rect((int)((overText.X * px) - (side / 2)), (int)(((842 - overText.Y) * px) - (side / 2)), (int)side, (int)side);
        using Mat beforeBox = new(before, box), afterBox = new(after, box);
        using Mat darkBefore = Dark(beforeBox), darkAfter = Dark(afterBox);
        using Mat stillDark = new();
        Cv2.BitwiseAnd(darkBefore, darkAfter, stillDark);
        int text = Cv2.CountNonZero(darkBefore);
        Assert.True(text > 300, $"the title runs under the impression ({text} dark pixels)");
        Assert.True(Cv2.CountNonZero(stillDark) > text * 0.6, $"the text shows through the scan's paper: {Cv2.CountNonZero(stillDark)} of {text} dark pixels stay dark");
        Assert.True(RedPixels(afterBox) > 2000, "the impression's red ink is drawn");
        Assert.True(RedPixels(beforeBox) == 0);

        // Cross-page: the strip on page 2's right edge is red too.
        using Mat page2 = Cv2.ImDecode(TestDocuments.Render(sealedPdf.Bytes, 2, Dpi), ImreadModes.Color);
        using Mat rightEdge = new(page2, new Rect(page2.Width - (int)(scan.WidthPoints * px / 2), 0, (int)(scan.WidthPoints * px / 2), page2.Height));
        Assert.True(RedPixels(rightEdge) > 300, "the cross-page strip shows the scan");
    }

    private static Mat Dark(Mat bgr)
    {
        Mat grey = new(), dark = new();
        Cv2.CvtColor(bgr, grey, ColorConversionCodes.BGR2GRAY);
        Cv2.Threshold(grey, dark, 100, 255, ThresholdTypes.BinaryInv);
        grey.Dispose();
        return dark;
    }

    private static int RedPixels(Mat bgr)
    {
        using Mat alpha = ImpressionScanCleaner.InkAlpha(bgr);
        using Mat strong = new();
        Cv2.Threshold(alpha, strong, 200, 255, ThresholdTypes.Binary);
        return Cv2.CountNonZero(strong);
    }

    /// <summary>Colours equal within a tolerance per channel.</summary>
    private sealed class ColourCloseTo(int tolerance) : IEqualityComparer<(int, int, int)>
    {
        public bool Equals((int, int, int) x, (int, int, int) y) =>
            Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance && Math.Abs(x.Item3 - y.Item3) <= tolerance;

        public int GetHashCode((int, int, int) obj) => 0;
    }
}
