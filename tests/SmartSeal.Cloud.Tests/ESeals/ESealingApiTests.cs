using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// The e-sealing flow through the API, keys on a SoftHSM token: apply with a PDF, approve, seal
/// every page plus a cross-page seal, download, verify (ours and pdfsig), the ledger entry; and the
/// refusals (other document, frozen seal, used up, wrong caller, time-stamping authority down),
/// each leaving the ledger as it was.
/// </summary>
public class ESealingApiTests : CloudTest<ESealCloudFactory>
{
    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);
    private readonly ESealCloudFactory _cloud;
    private readonly OrgWorld _org;

    public ESealingApiTests(ESealCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private Task<(SealOffice Office, string ApplicationId, string DocumentId)> ApprovedAsync(int stamps = 1) => ESealWorld.ApprovedAsync(_org, Contract, stamps);

    private static Task<HttpResponseMessage> SealAsync(HttpClient client, string applicationId, string documentId, string? pdfBase64 = null) =>
        client.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true, crossPage = true }, pdfBase64 });

    private async Task<VerificationReport> VerifyAsync(byte[] pdf)
    {
        var body = new ByteArrayContent(pdf);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        HttpResponseMessage response = await _cloud.CreateClient().PostAsync("/api/e-seals/verify", body); // no sign-in
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<VerificationReport>(OrgWorld.Json))!;
    }

    private async Task<int> EStampsAsync(string sealId) =>
        (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: sealId, Limit: 200))).Count(e => e.Kind == ESealingLedgerKinds.ESeal);

    [Fact]
    public async Task An_approved_document_is_sealed_on_every_page_and_across_them_once_verified_by_pdfsig_and_the_portal_verifier_and_ledgered()
    {
        (SealOffice office, string applicationId, string documentId) = await ApprovedAsync();

        HttpResponseMessage response = await SealAsync(office.ApplicantClient, applicationId, documentId);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        SealingRecord sealing = (await response.Content.ReadFromJsonAsync<SealingRecord>(OrgWorld.Json))!;
        Assert.Equal(2, sealing.Pages);
        byte[] sealedPdf = await office.ApplicantClient.GetByteArrayAsync(sealing.Download);
        Assert.Equal(sealing.SealedSha256, SealedFiles.Sha256Of(sealedPdf));

        // poppler's pdfsig and qpdf, tools the project did not write.
        string path = Path.Combine(Path.GetTempPath(), $"sealed-{Guid.NewGuid():n}.pdf");
        await File.WriteAllBytesAsync(path, sealedPdf);
        string pdfsig = ExternalTool.Run("pdfsig", path);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.Contains("Total document signed", pdfsig, StringComparison.Ordinal);
        Assert.Equal(ExternalTool.QpdfFindings(SmartSeal.Cloud.Seals.Electronic.Pdf.PdfIntake.Prepare(Contract, long.MaxValue)), ExternalTool.QpdfFindings(sealedPdf));

        // The cloud's verifier: which seal, the chain, the time stamp, the ledger entry.
        VerificationReport report = await VerifyAsync(sealedPdf);
        Assert.True(report.AllValid, JsonSerializer.Serialize(report));
        VerifiedSignature signature = Assert.Single(report.Signatures);
        Assert.Equal((office.SealId, sealing.LedgerEntryId, sealing.Id), (signature.SealId, signature.LedgerEntryId, signature.SealingId));
        Assert.Equal(3, signature.Chain.Count);
        Assert.NotNull(signature.TimeStampedAt);

        // One byte changed: both verifiers say so.
        byte[] tampered = (byte[])sealedPdf.Clone();
        int at = System.Text.Encoding.Latin1.GetString(tampered).IndexOf("/MediaBox", StringComparison.Ordinal);
        tampered[at + 1] = (byte)'m';
        VerificationReport broken = await VerifyAsync(tampered);
        Assert.False(broken.AllValid);
        Assert.False(Assert.Single(broken.Signatures).SignatureValid);
        await File.WriteAllBytesAsync(path, tampered);
        Assert.DoesNotContain("Signature is Valid.", ExternalTool.Run("pdfsig", path), StringComparison.Ordinal);

        // Approved once: a second sealing is refused, and the ledger has exactly the one e-stamp with the document's hash.
        await OrgWorld.AssertProblemAsync(await SealAsync(office.ApplicantClient, applicationId, documentId), HttpStatusCode.Conflict, "used up");
        StoredLedgerEntry entry = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: office.SealId, Limit: 200))).Single(e => e.Kind == ESealingLedgerKinds.ESeal);
        IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(entry.Payload);
        Assert.Equal((SealedFiles.Sha256Of(Contract), sealing.SealedSha256, "1,2"), (fields["documentSha256"], fields["sealedSha256"], fields["pages"]));
        Assert.Equal(sealing.LedgerEntryId, entry.Id);
        Assert.True((await _cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Another_document_a_frozen_seal_the_wrong_caller_and_a_time_stamping_authority_that_is_down_are_refused_and_nothing_is_ledgered()
    {
        (SealOffice office, string applicationId, string documentId) = await ApprovedAsync();
        byte[] other = TestDocuments.Pdf(TestDocuments.EditedContractPages);

        await OrgWorld.AssertProblemAsync(await SealAsync(office.ApplicantClient, applicationId, documentId, Convert.ToBase64String(other)), HttpStatusCode.Conflict, "differs from the approved one");
        await OrgWorld.AssertProblemAsync(await SealAsync(office.HeadClient, applicationId, documentId), HttpStatusCode.Forbidden, "only the applicant");
        await OrgWorld.AssertProblemAsync(
            await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { spots = new[] { new { page = 9, x = 100, y = 100 } } } }),
            HttpStatusCode.BadRequest, "page 9");

        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/e-seal/transitions", new { action = "freeze", reason = "审计" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await SealAsync(office.ApplicantClient, applicationId, documentId), HttpStatusCode.Conflict, "is frozen");
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/e-seal/transitions", new { action = "unfreeze" })).StatusCode);

        ESealingService service = _cloud.Service<ESealingService>();
        Func<byte[], byte[]> authority = service.TimeStampAuthority;
        service.TimeStampAuthority = _ => throw new HttpRequestException("connection refused");
        try
        {
            await OrgWorld.AssertProblemAsync(await SealAsync(office.ApplicantClient, applicationId, documentId), HttpStatusCode.Conflict, "time-stamping authority did not answer");
        }
        finally
        {
            service.TimeStampAuthority = authority;
        }

        Assert.Equal(0, await EStampsAsync(office.SealId));
        Assert.Empty(await service.ListAsync(applicationId));

        // With everything in order, the one approved sealing still goes through.
        Assert.Equal(HttpStatusCode.OK, (await SealAsync(office.ApplicantClient, applicationId, documentId, Convert.ToBase64String(Contract))).StatusCode);
        Assert.Equal(1, await EStampsAsync(office.SealId));
    }
}
