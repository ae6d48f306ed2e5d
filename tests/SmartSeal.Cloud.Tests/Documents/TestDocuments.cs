using System.Diagnostics;
using OpenCvSharp;
using CvScalar = OpenCvSharp.Scalar;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// Test data made on the spot: PDFs with Chinese and English text (PDFsharp with Debian's Droid
/// Sans Fallback, a TrueType CJK font), pages rendered by poppler's <c>pdftoppm</c>, and camera-like
/// photos of them made with OpenCV (perspective, rotation, uneven light, blur, noise, JPEG 60).
/// </summary>
public static class TestDocuments
{
    public const string CjkFontPath = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

    public const string LatinFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static readonly object FontLock = new();

    /// <summary>Lines of text per page: a contract-like first page and a payment-terms second page.</summary>
    public static readonly string[][] ContractPages =
    [
        [
            "采购合同 Purchase Contract No. HT-2026-0815",
            "甲方：深圳市星河电子有限公司",
            "Party A: Shenzhen Xinghe Electronics Co., Ltd.",
            "乙方：广州海天物流股份有限公司",
            "Party B: Guangzhou Haitian Logistics Co., Ltd.",
            "第一条 合同标的：甲方向乙方采购仓储服务。",
            "Article 1: Party A purchases warehousing services.",
            "第二条 服务期限自二〇二六年九月一日起一年。",
            "Article 2: The term is one year from 1 September 2026.",
            "第三条 服务地点：广州市黄埔区开发大道八号。",
        ],
        [
            "第四条 合同金额：人民币壹佰贰拾万元整。",
            "Article 4: Contract amount RMB 1,200,000.00 in total.",
            "第五条 付款方式：分四期按季度支付。",
            "Article 5: Payment in four quarterly instalments.",
            "第六条 违约责任：逾期付款按日万分之五计息。",
            "Article 6: Late payment bears interest of 0.05% per day.",
            "第七条 争议解决：提交深圳国际仲裁院仲裁。",
            "Article 7: Disputes go to the Shenzhen Court of Arbitration.",
            "甲方盖章 Seal of Party A          乙方盖章 Seal of Party B",
        ],
    ];

    /// <summary>The contract with page 2's amount changed (1,200,000 → 1,800,000, 壹佰贰拾 → 壹佰捌拾): the forger's edit.</summary>
    public static readonly string[][] EditedContractPages =
    [
        ContractPages[0],
        ContractPages[1].Select(line => line.Replace("壹佰贰拾万元", "壹佰捌拾万元", StringComparison.Ordinal).Replace("1,200,000.00", "1,800,000.00", StringComparison.Ordinal)).ToArray(),
    ];

    public static byte[] Pdf(params string[][] pages) => Pdf(new Layout(), pages);

    /// <summary>How the lines are set: font size, line pitch, and how far right the last line (a signature block) sits.</summary>
    public sealed record Layout(double Size = 12, double Pitch = 26, double LastLineShift = 0);

    public static byte[] Pdf(Layout layout, params string[][] pages)
    {
        EnsureFont();
        using var document = new PdfDocument();
        foreach (string[] lines in pages)
        {
            PdfPage page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using XGraphics graphics = XGraphics.FromPdfPage(page);
            double y = 90;
            for (int i = 0; i < lines.Length; i++)
            {
                double shift = i == lines.Length - 1 && i > 0 ? layout.LastLineShift : 0;
                DrawLine(graphics, lines[i], i == 0 ? layout.Size + 4 : layout.Size, y, 72 + shift);
                y += i == 0 ? layout.Pitch + 10 : layout.Pitch;
            }
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>PDFsharp does no font fallback: a line is drawn as runs, CJK in Droid Sans Fallback, the rest in DejaVu Sans.</summary>
    private static void DrawLine(XGraphics graphics, string line, double size, double y, double x)
    {
        var cjk = new XFont(CjkFamily, size);
        var latin = new XFont(LatinFamily, size);
        int start = 0;
        while (start < line.Length)
        {
            bool isCjk = IsCjk(line[start]);
            int end = start;
            while (end < line.Length && IsCjk(line[end]) == isCjk)
            {
                end++;
            }

            string run = line[start..end];
            XFont font = isCjk ? cjk : latin;
            graphics.DrawString(run, font, XBrushes.Black, new XPoint(x, y));
            x += graphics.MeasureString(run, font).Width;
            start = end;
        }
    }

    private static bool IsCjk(char c) => c >= 0x2E80;

    /// <summary>One page of a PDF as a PNG (poppler's pdftoppm).</summary>
    public static byte[] Render(byte[] pdf, int page, int dpi = 200)
    {
        string dir = Directory.CreateTempSubdirectory("smartseal-render-").FullName;
        try
        {
            string input = Path.Combine(dir, "in.pdf");
            File.WriteAllBytes(input, pdf);
            var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true };
            foreach (string arg in new[] { "-r", dpi.ToString(), "-f", page.ToString(), "-l", page.ToString(), "-png", "-singlefile", input, Path.Combine(dir, "out") })
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            process.WaitForExit(30_000);
            Assert.True(process.ExitCode == 0, "pdftoppm failed: " + process.StandardError.ReadToEnd());
            return File.ReadAllBytes(Path.Combine(dir, "out.png"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>How a synthetic camera sees the page.</summary>
    public sealed record Camera(double RotationDegrees = 4, double Perspective = 0.04, double Blur = 1.0, double Noise = 6, double Shade = 0.35, int Quality = 60, int Seed = 1, double Light = 1.0, double Moire = 0, double Glare = 0);

    /// <summary>
    /// A camera-like photo of a rendered page: the page on a darker desk, turned, seen slightly from
    /// the side, lit unevenly, blurred, noisy, JPEG-compressed; 1200x1600 (a 2 MP camera, portrait).
    /// </summary>
    public static byte[] Photograph(byte[] pagePng, Camera camera)
    {
        var random = new Random(camera.Seed);
        using Mat page = Cv2.ImDecode(pagePng, ImreadModes.Color);
        const int width = 1200, height = 1600;
        double scale = Math.Min(width * 0.86 / page.Width, height * 0.86 / page.Height);
        double w = page.Width * scale, h = page.Height * scale;
        var centre = new Point2d(width / 2.0 + random.NextDouble() * 30 - 15, height / 2.0 + random.NextDouble() * 30 - 15);
        double angle = camera.RotationDegrees * Math.PI / 180;
        Point2f Corner(double x, double y)
        {
            double jx = (random.NextDouble() * 2 - 1) * camera.Perspective * w, jy = (random.NextDouble() * 2 - 1) * camera.Perspective * h;
            double px = x + jx, py = y + jy;
            return new Point2f((float)(centre.X + px * Math.Cos(angle) - py * Math.Sin(angle)), (float)(centre.Y + px * Math.Sin(angle) + py * Math.Cos(angle)));
        }

        Point2f[] from = [new(0, 0), new(page.Width, 0), new(page.Width, page.Height), new(0, page.Height)];
        Point2f[] to = [Corner(-w / 2, -h / 2), Corner(w / 2, -h / 2), Corner(w / 2, h / 2), Corner(-w / 2, h / 2)];
        using Mat transform = Cv2.GetPerspectiveTransform(from, to);
        using var photo = new Mat(height, width, MatType.CV_8UC3, new CvScalar(70, 90, 110));
        Cv2.WarpPerspective(page, photo, transform, new Size(width, height), InterpolationFlags.Linear, BorderTypes.Transparent);

        // Uneven light: a gradient from one side, and a soft partial shadow.
        using var light = new Mat(height, width, MatType.CV_32FC1);
        double gx = random.NextDouble() * 2 - 1, gy = random.NextDouble() * 2 - 1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double g = 1 - camera.Shade / 2 * (1 + (gx * (x - width / 2.0) / width + gy * (y - height / 2.0) / height));
                light.Set(y, x, (float)(Math.Clamp(g, 0.3, 1.1) * camera.Light));
            }
        }

        using var lit = new Mat();
        photo.ConvertTo(lit, MatType.CV_32FC3);
        using var light3 = new Mat();
        Cv2.Merge([light, light, light], light3);
        Cv2.Multiply(lit, light3, lit);
        if (camera.Blur > 0)
        {
            Cv2.GaussianBlur(lit, lit, new Size(0, 0), camera.Blur);
        }

        if (camera.Moire > 0)
        {
            // A page shown on a screen: the pixel grid beats with the camera's as fine slanted bands.
            using var bands = new Mat(height, width, MatType.CV_32FC1);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    bands.Set(y, x, (float)(1 - camera.Moire * (0.5 + 0.5 * Math.Sin((x * 0.9 + y * 0.35) * 0.55))));
                }
            }

            using var bands3 = new Mat();
            Cv2.Merge([bands, bands, bands], bands3);
            Cv2.Multiply(lit, bands3, lit);
        }

        if (camera.Glare > 0)
        {
            // A lamp's reflection: a soft spot burnt to white.
            using var spot = new Mat(height, width, MatType.CV_32FC3, new CvScalar(0, 0, 0));
            Cv2.Circle(spot, new Point(width * (0.3 + random.NextDouble() * 0.4), height * (0.3 + random.NextDouble() * 0.4)), (int)(width * 0.08), new CvScalar(255, 255, 255), -1);
            Cv2.GaussianBlur(spot, spot, new Size(0, 0), width * 0.04);
            Cv2.AddWeighted(lit, 1, spot, camera.Glare, 0, lit);
        }

        using var noise = new Mat(height, width, MatType.CV_32FC3);
        // OpenCV's noise comes from its own per-thread generator: seeded here, the photo is the same on every run.
        Cv2.SetTheRNG(0x5EED0000UL + (ulong)(uint)camera.Seed);
        Cv2.Randn(noise, new CvScalar(0, 0, 0), new CvScalar(camera.Noise, camera.Noise, camera.Noise));
        Cv2.Add(lit, noise, lit);
        using var result = new Mat();
        lit.ConvertTo(result, MatType.CV_8UC3);
        Cv2.ImEncode(".jpg", result, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, camera.Quality));
        return jpeg;
    }

    /// <summary>
    /// The page with a red company seal pressed on it (ring, star, a curve of strokes for the name),
    /// lower middle, as a lock stamps it: what the after-photo shows.
    /// </summary>
    public static byte[] Stamp(byte[] pagePng)
    {
        using Mat page = Cv2.ImDecode(pagePng, ImreadModes.Color);
        var ink = new CvScalar(45, 35, 205);
        int radius = page.Width / 10;
        var centre = new Point(page.Width / 2, page.Height * 3 / 4);
        using var seal = page.Clone();
        Cv2.Circle(seal, centre, radius, ink, Math.Max(3, radius / 14), LineTypes.AntiAlias);
        Point[] star = Enumerable.Range(0, 10).Select(i =>
        {
            double a = -Math.PI / 2 + i * Math.PI / 5;
            double r = i % 2 == 0 ? radius * 0.3 : radius * 0.12;
            return new Point(centre.X + r * Math.Cos(a), centre.Y + r * Math.Sin(a));
        }).ToArray();
        Cv2.FillPoly(seal, [star], ink, LineTypes.AntiAlias);
        for (int i = 0; i < 12; i++)
        {
            double a = Math.PI * (0.85 + i * 1.3 / 11);
            var at = new Point(centre.X + radius * 0.72 * Math.Cos(a), centre.Y + radius * 0.72 * Math.Sin(a));
            Cv2.Rectangle(seal, new Rect(at.X - radius / 14, at.Y - radius / 14, radius / 7, radius / 7), ink, -1);
        }

        // Seal ink is translucent: the print shows through.
        using var stamped = new Mat();
        Cv2.Min(page, seal, stamped);
        Cv2.ImEncode(".png", stamped, out byte[] png);
        return png;
    }

    /// <summary>A rendered page as a JPEG "scan" (what an applicant uploads instead of a PDF).</summary>
    public static byte[] Jpeg(byte[] pagePng, int quality = 90)
    {
        using Mat page = Cv2.ImDecode(pagePng, ImreadModes.Color);
        Cv2.ImEncode(".jpg", page, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return jpeg;
    }

    /// <summary>Pastes the page-code corner of <paramref name="codeSource"/> onto <paramref name="target"/> (both rendered PNGs of the same size).</summary>
    public static byte[] PasteCorner(byte[] codeSource, byte[] target, int cornerPixels)
    {
        using Mat source = Cv2.ImDecode(codeSource, ImreadModes.Color);
        using Mat page = Cv2.ImDecode(target, ImreadModes.Color);
        var region = new Rect(page.Width - cornerPixels, page.Height - cornerPixels, cornerPixels, cornerPixels);
        using (var from = new Mat(source, region))
        using (var to = new Mat(page, region))
        {
            from.CopyTo(to);
        }

        Cv2.ImEncode(".png", page, out byte[] png);
        return png;
    }

    /// <summary>
    /// The pages with <paramref name="edits"/> made on page <paramref name="page"/>: <c>from=&gt;to</c>
    /// pairs separated by <c>|</c>, ordinal, on the page's lines joined by newlines (so an edit can
    /// add or remove a line); each edit must apply.
    /// </summary>
    public static string[][] Edit(string[][] pages, int page, string edits)
    {
        if (edits.Length == 0)
        {
            return pages;
        }

        string text = string.Join("\n", pages[page - 1]);
        foreach (string edit in edits.Split('|'))
        {
            string[] parts = edit.Split("=>");
            Assert.True(text.Contains(parts[0], StringComparison.Ordinal), $"the page has no \"{parts[0]}\" to edit");
            text = text.Replace(parts[0], parts[1], StringComparison.Ordinal);
        }

        return pages.Select((lines, i) => i == page - 1 ? text.Split('\n') : lines).ToArray();
    }

    /// <summary>Family names the pages ask for; the product's resolver (<see cref="EnsureFont"/>) serves them.</summary>
    private const string CjkFamily = "Droid Sans Fallback";
    private const string LatinFamily = "DejaVu Sans";

    private static void EnsureFont()
    {
        lock (FontLock)
        {
            // PDFsharp's resolver is process-wide and set once: use the product's (the ledger exports'
            // CJK font, which has Latin too), so the order in which test classes run does not matter.
            SmartSeal.Cloud.Reports.CjkFontResolver.Install(null);
        }
    }
}
