using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using PdfSharp.Drawing;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;

namespace SmartSeal.Cloud.Cli;

/// <summary>
/// <c>smartseal-cloud e-seals bench</c>: sealing speed with the key on the configured token —
/// a --pages PDF sealed on every page plus a cross-page seal (time stamp included), one-page
/// sealings per second, verification per document, and a bare CMS signature of the same bytes as
/// the floor. A key is generated on the token for the run and destroyed after it.
/// </summary>
public static class ESealsCli
{
    private static readonly Option<int> PagesOption = new("--pages") { Description = "pages of the large document", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int> OnePageOption = new("--one-page") { Description = "one-page documents to seal one after another", DefaultValueFactory = _ => 200 };
    private static readonly Option<FileInfo?> ScanOption = new("--scan") { Description = "seal with this scan of a legacy impression (PNG/JPEG, 42 mm wide) instead of the impression drawn from text" };

    public static Command Build(Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var eSeals = new Command("e-seals", "electronic seals");
        var bench = new Command("bench", "seals a --pages PDF (every page + cross-page, time-stamped) and --one-page one-page PDFs with a key on the token; prints times and the bare-CMS floor");
        bench.Add(PagesOption);
        bench.Add(OnePageOption);
        bench.Add(ScanOption);
        bench.SetAction((r, ct) => withServices(async sp =>
        {
            int pages = Math.Max(1, r.GetValue(PagesOption));
            int onePage = Math.Max(1, r.GetValue(OnePageOption));
            var token = sp.GetRequiredService<Pkcs11Token>();
            var authority = sp.GetRequiredService<SealCertificateAuthority>();
            var tsa = sp.GetRequiredService<LedgerTimeStampAuthority>();
            var verifier = sp.GetRequiredService<SealVerifier>();
            string label = "e-seal:bench:" + Guid.NewGuid().ToString("n")[..8];
            var seal = new Seal("bench-seal", "合同专用章", SealType.Contract, "bench", 1, null, null, SealState.InUse, SealLocationKind.Unknown, null, 0, 0, 0);
            RSAParameters publicKey = token.GenerateKeyPair(label);
            try
            {
                using X509Certificate2 certificate = authority.Issue(seal, publicKey);
                using var key = new TokenRsa(token, label, publicKey);
                var signer = new SealSigner(certificate, [authority.Issuing, authority.Root], key, seal.Name);
                IImpression impression = SealImpression.Render(ImpressionSpec.For(seal, "SmartSeal 基准测试有限公司"));
                if (r.GetValue(ScanOption) is { } scanFile)
                {
                    byte[] upload = await File.ReadAllBytesAsync(scanFile.FullName, ct);
                    var cleaning = Stopwatch.StartNew();
                    CleanedScan cleaned = ImpressionScanCleaner.Clean(upload);
                    Console.WriteLine($"scan {scanFile.Name} ({upload.Length / 1024} KiB): cleaned in {cleaning.Elapsed.TotalMilliseconds:F0} ms to {cleaned.WidthPx}×{cleaned.HeightPx} px ({cleaned.Png.Length / 1024} KiB PNG)");
                    impression = new ScannedImpression("bench-scan", cleaned.Png, cleaned.WidthPx, cleaned.HeightPx, 42, 42.0 * cleaned.HeightPx / cleaned.WidthPx);
                }

                Func<byte[], byte[]> stamps = request => tsa.Respond(request);

                byte[] large = Document(pages);
                var clock = Stopwatch.StartNew();
                byte[] prepared = PdfIntake.Prepare(large, long.MaxValue);
                TimeSpan intake = clock.Elapsed;
                SealedPdf sealedLarge = PdfSealer.Seal(prepared, impression, new SealPlacement { EveryPage = true, CrossPage = true }, signer, stamps, DateTimeOffset.UtcNow, "bench");
                TimeSpan sealing = clock.Elapsed - intake;
                clock.Restart();
                VerificationReport report = await verifier.VerifyAsync(sealedLarge.Bytes, ct);
                TimeSpan verifying = clock.Elapsed;
                clock.Restart();
                Floor(sealedLarge.Bytes, certificate, key);
                TimeSpan floor = clock.Elapsed;
                Console.WriteLine($"{pages}-page PDF ({large.Length / 1024} KiB): intake {intake.TotalSeconds:F2} s, seal every page + cross-page {sealing.TotalSeconds:F2} s " +
                    $"(total {(intake + sealing).TotalSeconds:F2} s, {sealedLarge.Bytes.Length / 1024} KiB), verify {verifying.TotalSeconds:F2} s (valid: {report.AllValid}), bare CMS of the same bytes {floor.TotalMilliseconds:F0} ms");

                byte[] one = PdfIntake.Prepare(Document(1), long.MaxValue);
                clock.Restart();
                SealedPdf last = sealedLarge;
                for (int i = 0; i < onePage; i++)
                {
                    last = PdfSealer.Seal(one, impression, new SealPlacement { Spots = [new SealSpot(1, 420, 160)] }, signer, stamps, DateTimeOffset.UtcNow, "bench");
                }

                double perSecond = onePage / clock.Elapsed.TotalSeconds;
                clock.Restart();
                for (int i = 0; i < onePage; i++)
                {
                    Floor(last.Bytes, certificate, key);
                }

                double floorPerSecond = onePage / clock.Elapsed.TotalSeconds;
                clock.Restart();
                for (int i = 0; i < Math.Min(onePage, 50); i++)
                {
                    _ = await verifier.VerifyAsync(last.Bytes, ct);
                }

                double verifyMs = clock.Elapsed.TotalMilliseconds / Math.Min(onePage, 50);
                Console.WriteLine($"one-page PDFs: {perSecond:F1} sealings/s (time-stamped), bare CMS {floorPerSecond:F1}/s, verify {verifyMs:F1} ms each");
                return 0;
            }
            finally
            {
                token.Destroy(label);
            }
        }));
        eSeals.Add(bench);
        return eSeals;
    }

    /// <summary>The floor: one detached CMS signature of the same bytes with the same token key, no PDF work, no time stamp.</summary>
    private static void Floor(byte[] bytes, X509Certificate2 certificate, RSA key)
    {
        var cms = new SignedCms(new ContentInfo(bytes), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, key), silent: true);
        _ = cms.Encode();
    }

    /// <summary>A document of ruled pages (lines and boxes only: no fonts needed).</summary>
    private static byte[] Document(int pages)
    {
        using var document = new PdfSharp.Pdf.PdfDocument();
        for (int p = 0; p < pages; p++)
        {
            PdfSharp.Pdf.PdfPage page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using XGraphics graphics = XGraphics.FromPdfPage(page);
            for (int line = 0; line < 30; line++)
            {
                graphics.DrawLine(XPens.Gray, 60, 80 + (line * 22), 535, 80 + (line * 22));
            }

            graphics.DrawRectangle(XPens.Black, 50, 50, 495, 742);
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }
}
