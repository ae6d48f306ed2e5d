using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// The bad input at the sealing API, on a real SoftHSM token: a PDF carrying JavaScript, a
/// PDF changed by an incremental update after approval, an encrypted PDF, a document over the size
/// limit, a token that refuses the PIN — each a clear refusal (RFC 7807 where it reaches the API),
/// and afterwards no e-stamp in the ledger, no sealing row and no sealed file.
/// </summary>
public class ESealRefusalTests : CloudTest<ESealCloudFactory>
{
    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);
    private readonly ESealCloudFactory _cloud;
    private readonly OrgWorld _org;

    public ESealRefusalTests(ESealCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private static Task<HttpResponseMessage> SealAsync(HttpClient client, string applicationId, string documentId, string? pdfBase64 = null) =>
        client.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true, crossPage = true }, pdfBase64 });

    /// <summary>The sealed files stored so far (the class's tests share one cloud).</summary>
    private int SealedFiles()
    {
        string folder = Path.Combine(_cloud.Services.GetRequiredService<IConfiguration>()["SmartSeal:DataDirectory"]!, "e-sealed");
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
    }

    /// <summary>Nothing of a sealing exists for the seal/application: no e-stamp, no row, no new file.</summary>
    private async Task AssertNothingSealedAsync(string sealId, string applicationId, int filesBefore)
    {
        Assert.DoesNotContain(await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: sealId, Limit: 200)), e => e.Kind == ESealingLedgerKinds.ESeal);
        Assert.Empty(await _cloud.Service<ESealingService>().ListAsync(applicationId));
        Assert.Equal(filesBefore, SealedFiles()); // no sealed file left behind
    }

    [Fact]
    public async Task A_pdf_with_javascript_and_one_changed_after_approval_are_refused_and_nothing_is_written()
    {
        byte[] scripted;
        using (var document = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(Contract), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify))
        {
            var action = new PdfSharp.Pdf.PdfDictionary(document);
            action.Elements.SetName("/S", "/JavaScript");
            action.Elements.SetString("/JS", "app.alert('盖章');");
            document.Internals.AddObject(action);
            document.Internals.Catalog.Elements.SetReference("/OpenAction", action);
            using var buffer = new MemoryStream();
            document.Save(buffer);
            scripted = buffer.ToArray();
        }

        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(_org, scripted);
        int files = SealedFiles();
        await OrgWorld.AssertProblemAsync(await SealAsync(office.ApplicantClient, applicationId, documentId), HttpStatusCode.Conflict, "carries JavaScript");

        // The approved contract with an incremental update appended after approval (a new revision changing page 2).
        (SealOffice office2, string applicationId2, string documentId2) = await ESealWorld.ApprovedAsync(_org, Contract);
        string text = System.Text.Encoding.Latin1.GetString(Contract);
        string startXref = text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 9)..].Trim().Split('\n')[0].Trim();
        byte[] updated = [.. Contract, .. System.Text.Encoding.Latin1.GetBytes($"\n999 0 obj\n<</Type /Annot /Subtype /Text /Contents (金额改为壹佰捌拾万元)>>\nendobj\ntrailer\n<</Prev {startXref}>>\nstartxref\n{Contract.Length}\n%%EOF\n")];
        await OrgWorld.AssertProblemAsync(await SealAsync(office2.ApplicantClient, applicationId2, documentId2, Convert.ToBase64String(updated)), HttpStatusCode.Conflict, "differs from the approved one");

        await AssertNothingSealedAsync(office.SealId, applicationId, files);
        await AssertNothingSealedAsync(office2.SealId, applicationId2, files);
        Assert.True((await _cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);
    }

    [Fact]
    public async Task An_encrypted_pdf_never_becomes_the_approved_document_and_a_large_one_is_refused_by_the_verifier()
    {
        byte[] encrypted;
        using (var document = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(Contract), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify))
        {
            document.SecuritySettings.UserPassword = "secret";
            using var buffer = new MemoryStream();
            document.Save(buffer);
            encrypted = buffer.ToArray();
        }

        SealOffice office = await SealOffice.CreateAsync(_org);
        int files = SealedFiles();
        HttpResponseMessage submitted = await office.ApplicantClient.PostAsJsonAsync("/api/applications", Checkouts.CheckoutEndToEndTests.Request(office.SealId, "electronic", 1));
        string applicationId = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        HttpResponseMessage upload = await DocumentWorld.UploadAsync(office.ApplicantClient, applicationId, encrypted);
        Assert.False(upload.IsSuccessStatusCode);
        Assert.Contains("encrypted", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        long limit = _cloud.Services.GetRequiredService<IOptions<ESealingOptions>>().Value.MaxDocumentBytes;
        var huge = new ByteArrayContent([.. "%PDF-1.4\n"u8, .. new byte[limit]]);
        huge.Headers.ContentType = new("application/pdf");
        await OrgWorld.AssertProblemAsync(await _cloud.CreateClient().PostAsync("/api/e-seals/verify", huge), HttpStatusCode.RequestEntityTooLarge, $"larger than {limit} bytes");
        await AssertNothingSealedAsync(office.SealId, applicationId, files);
    }

    [Fact]
    public async Task A_token_that_refuses_the_pin_and_a_document_over_the_limit_are_refused_and_nothing_is_written()
    {
        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(_org, Contract);
        ESealOptions configured = _cloud.Services.GetRequiredService<IOptions<ESealOptions>>().Value;
        int files = SealedFiles();

        // A token opened with a wrong user PIN: SoftHSM refuses the login, the sealing says so. (A token of its
        // own: PKCS#11 logs a process in per token, and this process is logged in to the cloud's token already.)
        string otherToken = SoftHsm.NewTokenLabel();
        using (Pkcs11Token initialise = SoftHsm.Token(otherToken))
        {
            initialise.EnsureToken();
        }

        using var wrongPin = new Pkcs11Token(Options.Create(new ESealOptions { Pkcs11Library = configured.Pkcs11Library, TokenLabel = otherToken, UserPin = "0000-wrong" }));
        ESealingService withWrongPin = ActivatorUtilities.CreateInstance<ESealingService>(_cloud.Services, wrongPin);
        SealOutcome refused = await withWrongPin.SealAsync(applicationId, new SealRequest(documentId, new SealPlacement { EveryPage = true }, null), office.Applicant);
        Assert.Equal(409, refused.Status);
        Assert.Contains("refused the PIN", refused.Problem, StringComparison.Ordinal);

        // A sealing limit below the document's size.
        ESealingService small = ActivatorUtilities.CreateInstance<ESealingService>(_cloud.Services, Options.Create(new ESealingOptions { MaxDocumentBytes = 1000 }));
        SealOutcome tooLarge = await small.SealAsync(applicationId, new SealRequest(documentId, new SealPlacement { EveryPage = true }, null), office.Applicant);
        Assert.Equal(409, tooLarge.Status);
        Assert.Contains("limit is 1000", tooLarge.Problem, StringComparison.Ordinal);

        await AssertNothingSealedAsync(office.SealId, applicationId, files);

        // With the right token and limit, the approved sealing still goes through.
        Assert.Equal(HttpStatusCode.OK, (await SealAsync(office.ApplicantClient, applicationId, documentId)).StatusCode);
    }
}

/// <summary>A cloud whose CA issues seal certificates that end as they are issued (CertificateDays 0).</summary>
public sealed class ExpiringCertificateCloudFactory : CloudFactory
{
    private readonly string _tokenLabel = SoftHsm.NewTokenLabel();

    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(SoftHsm.Settings(_tokenLabel)) { ["SmartSeal:ESeals:CertificateDays"] = "0" };
}

/// <summary>An e-seal whose certificate has expired cannot seal: a 409 naming the validity, nothing written.</summary>
public class ExpiredCertificateTests : CloudTest<ExpiringCertificateCloudFactory>
{
    private readonly ExpiringCertificateCloudFactory _cloud;

    public ExpiredCertificateTests(ExpiringCertificateCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task An_expired_seal_certificate_is_refused_and_nothing_is_ledgered()
    {
        ExpiringCertificateCloudFactory factory = _cloud;
        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(new OrgWorld(factory), TestDocuments.Pdf(TestDocuments.ContractPages));
        HttpResponseMessage response = await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true } });
        await OrgWorld.AssertProblemAsync(response, HttpStatusCode.Conflict, "is not valid now");
        Assert.DoesNotContain(await factory.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: office.SealId, Limit: 200)), e => e.Kind == ESealingLedgerKinds.ESeal);
        Assert.Empty(await factory.Service<ESealingService>().ListAsync(applicationId));
    }
}
