using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;
using SmartSeal.Cloud.Tests.Documents;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// Sealing PDFs with keys on a SoftHSM token: chosen spots, every page, cross-page strips, a second
/// seal as an incremental update; proved with verifiers the project did not write (poppler's pdfsig,
/// qpdf --check), including a one-byte change after sealing. Bad documents are refused with the reason.
/// </summary>
public sealed class PdfSealerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "smartseal-pdfsealer", Guid.NewGuid().ToString("n"));
    private readonly Pkcs11Token _token = SoftHsm.Token(SoftHsm.NewTokenLabel());
    private readonly SealCertificateAuthority _authority;
    private readonly LedgerTimeStampAuthority _tsa;

    public PdfSealerTests()
    {
        Directory.CreateDirectory(_directory);
        _authority = new SealCertificateAuthority(Options.Create(new ESealOptions { Organisation = "测试集团有限公司" }), Path.Combine(_directory, "ca"), TimeProvider.System);
        _tsa = new LedgerTimeStampAuthority(Path.Combine(_directory, "tsa.pem"), TimeProvider.System);
    }

    public void Dispose()
    {
        _token.Dispose();
        _authority.Dispose();
        _tsa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private byte[] Stamp(byte[] request) => _tsa.Respond(request);

    private SealSigner Signer(string sealId, string name, SealType type)
    {
        var seal = new Seal(sealId, name, type, "gd", 1, null, null, SealState.InUse, SealLocationKind.Unknown, null, 0, 0, 0);
        string label = "e-seal:" + sealId;
        RSAParameters publicKey = _token.GenerateKeyPair(label);
        X509Certificate2 certificate = _authority.Issue(seal, publicKey);
        return new SealSigner(certificate, [_authority.Issuing, _authority.Root], new TokenRsa(_token, label, publicKey), name);
    }

    private static byte[] Contract(int pages) =>
        PdfIntake.Prepare(TestDocuments.Pdf(Enumerable.Range(1, pages).Select(p => TestDocuments.ContractPages[p % 2]).ToArray()), 50_000_000);

    [Fact]
    public void Two_seals_on_every_page_chosen_spots_and_across_the_pages_all_verify_in_pdfsig_and_qpdf()
    {
        byte[] contract = Contract(5);
        SealImpression company = SealImpression.Render(ImpressionSpec.Round("测试集团有限公司", serial: "4403000012345"));
        SealImpression contractSeal = SealImpression.Render(ImpressionSpec.Oval("测试集团有限公司", "合同专用章"));

        SealedPdf first = PdfSealer.Seal(contract, company, new SealPlacement { Spots = [new SealSpot(2, 400, 200)], CrossPage = true },
            Signer("seal-company", "测试集团有限公司", SealType.Company), Stamp, DateTimeOffset.UtcNow, "合同签署");
        Assert.Equal([1, 2, 3, 4, 5], first.Pages);
        Assert.True(first.Bytes.AsSpan(0, contract.Length).SequenceEqual(contract), "an incremental update keeps the original bytes");

        SealedPdf second = PdfSealer.Seal(first.Bytes, contractSeal, new SealPlacement { EveryPage = true },
            Signer("seal-contract", "合同专用章", SealType.Contract), Stamp, DateTimeOffset.UtcNow, "合同专用章");
        Assert.True(second.Bytes.AsSpan(0, first.Bytes.Length).SequenceEqual(first.Bytes));

        string sealedPath = Write("sealed.pdf", second.Bytes);
        string report = ExternalTool.Run("pdfsig", sealedPath);
        Assert.True(Count(report, "Signature is Valid.") == 2, report);
        Assert.Contains("Signature Type: ETSI.CAdES.detached", report, StringComparison.Ordinal);
        Assert.Contains("Total document signed", report, StringComparison.Ordinal);
        Assert.Equal(ExternalTool.QpdfFindings(contract), ExternalTool.QpdfFindings(second.Bytes)); // sealing adds nothing qpdf objects to

        // One byte of the original text changed: every signature fails in pdfsig.
        byte[] tampered = (byte[])second.Bytes.Clone();
        int at = Encoding.Latin1.GetString(tampered).IndexOf("/MediaBox", StringComparison.Ordinal);
        tampered[at + 1] = (byte)'m';
        string tamperedReport = ExternalTool.Run("pdfsig", Write("tampered.pdf", tampered));
        Assert.Equal(0, Count(tamperedReport, "Signature is Valid."));
        Assert.Equal(2, Count(tamperedReport, "Signature Validation:"));
    }

    [Fact]
    public void A_time_stamping_authority_that_is_down_refuses_the_sealing_with_the_reason()
    {
        byte[] contract = Contract(1);
        TimeStampException refused = Assert.Throws<TimeStampException>(() => PdfSealer.Seal(contract, SealImpression.Render(ImpressionSpec.Round("测试集团有限公司")),
            new SealPlacement { EveryPage = true }, Signer("seal-tsa", "测试集团有限公司", SealType.Company),
            _ => throw new HttpRequestException("connection refused"), DateTimeOffset.UtcNow, "合同签署"));
        Assert.Contains("did not answer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Documents_that_are_not_pdf_too_large_corrupt_encrypted_or_scripted_are_refused_with_the_reason()
    {
        byte[] pdf = TestDocuments.Pdf(TestDocuments.ContractPages);
        Assert.Contains("not a PDF", Assert.Throws<PdfRefusedException>(() => PdfIntake.Prepare("hello, world"u8.ToArray(), 1000)).Message, StringComparison.Ordinal);
        Assert.Contains("limit is 1000", Assert.Throws<PdfRefusedException>(() => PdfIntake.Prepare(pdf, 1000)).Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", Assert.Throws<PdfRefusedException>(() => PdfIntake.Prepare(pdf[..(pdf.Length / 3)], 50_000_000)).Message, StringComparison.Ordinal);

        using (var document = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify))
        {
            document.SecuritySettings.UserPassword = "secret";
            using var encrypted = new MemoryStream();
            document.Save(encrypted);
            Assert.Contains("encrypted", Assert.Throws<PdfRefusedException>(() => PdfIntake.Prepare(encrypted.ToArray(), 50_000_000)).Message, StringComparison.Ordinal);
        }

        using (var document = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify))
        {
            var action = new PdfSharp.Pdf.PdfDictionary(document);
            action.Elements.SetName("/S", "/JavaScript");
            action.Elements.SetString("/JS", "app.alert('盖章');");
            document.Internals.AddObject(action);
            document.Internals.Catalog.Elements.SetReference("/OpenAction", action);
            using var scripted = new MemoryStream();
            document.Save(scripted);
            Assert.Contains("JavaScript", Assert.Throws<PdfRefusedException>(() => PdfIntake.Prepare(scripted.ToArray(), 50_000_000)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_impression_is_drawn_from_the_seal_text_as_vector_at_the_real_size()
    {
        SealImpression round = SealImpression.Render(ImpressionSpec.Round("测试集团有限公司", "合同专用章", "4403000012345"));
        XElement svg = XElement.Parse(round.ToSvg());
        Assert.Equal("42mm", svg.Attribute("width")!.Value);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("测试集团有限公司合同专用章4403000012345".Length, svg.Descendants(ns + "text").Count());
        Assert.Single(svg.Descendants(ns + "polygon")); // the star
        Assert.Equal(10, round.Star.Count);

        // Upper arc left to right: the first character sits left of the centre, the last right of it, both above the middle.
        Glyph firstOnArc = round.Glyphs[0], lastOnArc = round.Glyphs["测试集团有限公司".Length - 1];
        Glyph middle = round.Glyphs["测试集团有限公司".Length / 2];
        Assert.True(firstOnArc.X < 0 && lastOnArc.X > 0 && middle.Y > 10, $"{firstOnArc} {middle} {lastOnArc}");
        Assert.Equal(42 * 72 / 25.4, round.WidthPoints, 3);

        SealImpression square = SealImpression.Render(ImpressionSpec.Square("张三"));
        Assert.Equal("张三之印", string.Concat(square.Glyphs.Select(g => g.Text)));
        SealImpression oval = SealImpression.Render(ImpressionSpec.Oval("测试集团有限公司", "财务专用章"));
        Assert.Equal((45.0, 30.0), (oval.Spec.WidthMm, oval.Spec.HeightMm));
        Assert.Empty(oval.Star);
        Assert.Throws<ArgumentException>(() => SealImpression.Render(ImpressionSpec.Round(string.Empty)));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
