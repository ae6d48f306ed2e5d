using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// Legacy scans as the impression, through the API with keys on a SoftHSM token: the keeper
/// uploads a scan (kept byte for byte with its SHA-256, ledgered like a change), a second one
/// replaces it and the first stays on record, the applicant's sealing then carries the scan (an
/// image with a soft mask; pdfsig says valid), and the keeper can switch back to the rendered
/// impression. Bad uploads and wrong callers are refused with RFC 7807 problems and store nothing.
/// </summary>
public class ImpressionScanApiTests : CloudTest<ESealCloudFactory>
{
    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);
    private readonly ESealCloudFactory _cloud;
    private readonly OrgWorld _org;

    public ImpressionScanApiTests(ESealCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string sealId, byte[] scan, string fileName = "合同专用章.png", string? widthMm = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(scan);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png");
        form.Add(file, "file", fileName);
        if (widthMm is not null)
        {
            form.Add(new StringContent(widthMm), "widthMm");
        }

        return client.PostAsync($"/api/seals/{sealId}/e-seal/impression-scans", form);
    }

    private async Task<IReadOnlyList<string>> ESealActionsAsync(string sealId) =>
        (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: sealId, Limit: 200)))
            .Where(e => e.Kind == SealLedgerKinds.ESeal).OrderBy(e => e.Seq).Select(e => LedgerCanon.Fields(e.Payload)["action"]).ToList();

    [Fact]
    public async Task A_keepers_scan_becomes_the_impression_the_sealing_carries_and_a_new_scan_replaces_it_with_the_old_kept()
    {
        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(_org, Contract);
        byte[] png = ScannedSeals.Png(), jpeg = ScannedSeals.Jpeg();

        HttpResponseMessage first = await UploadAsync(office.KeeperClient, office.SealId, png, widthMm: "40");
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        ImpressionScanUpload uploaded = (await first.Content.ReadFromJsonAsync<ImpressionScanUpload>(OrgWorld.Json))!;
        Assert.Equal((ImpressionSource.Scan, uploaded.Scan.Id), (uploaded.ESeal.ESeal.Impression, uploaded.ESeal.ESeal.ImpressionScanId));
        Assert.Equal((40.0, "image/png", SealedFiles.Sha256Of(png)), (uploaded.Scan.WidthMm, uploaded.Scan.ContentType, uploaded.Scan.OriginalSha256));
        Assert.InRange(uploaded.Scan.HeightMm, 39.5, 40.5); // a round seal: as high as wide
        Assert.Equal(png, await office.KeeperClient.GetByteArrayAsync(first.Headers.Location)); // kept byte for byte
        string svg = await office.KeeperClient.GetStringAsync($"/api/seals/{office.SealId}/e-seal/impression.svg");
        Assert.Contains("data:image/png;base64,", svg, StringComparison.Ordinal);
        Assert.Contains("width=\"40mm\"", svg, StringComparison.Ordinal);

        // A second scan (JPEG, width from the seal type) replaces the first; both stay on record.
        HttpResponseMessage second = await UploadAsync(office.KeeperClient, office.SealId, jpeg, "合同专用章.jpg");
        Assert.True(second.StatusCode == HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        ImpressionScanView current = (await second.Content.ReadFromJsonAsync<ImpressionScanUpload>(OrgWorld.Json))!.Scan;
        Assert.Equal(45.0, current.WidthMm); // a contract seal's default width
        ImpressionScanView[] scans = (await office.KeeperClient.GetFromJsonAsync<ImpressionScanView[]>($"/api/seals/{office.SealId}/e-seal/impression-scans", OrgWorld.Json))!;
        Assert.Equal([current.Id, uploaded.Scan.Id], scans.Select(s => s.Id));
        Assert.Equal([true, false], scans.Select(s => s.Current));

        // The applicant seals every page and across them: the scan is the appearance, pdfsig verifies.
        HttpResponseMessage sealing = await office.ApplicantClient.PostAsJsonAsync(
            $"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true, crossPage = true } });
        Assert.True(sealing.StatusCode == HttpStatusCode.OK, await sealing.Content.ReadAsStringAsync());
        SealingRecord record = (await sealing.Content.ReadFromJsonAsync<SealingRecord>(OrgWorld.Json))!;
        byte[] sealedPdf = await office.ApplicantClient.GetByteArrayAsync(record.Download);
        string path = Path.Combine(Path.GetTempPath(), $"sealed-scan-{Guid.NewGuid():n}.pdf");
        await File.WriteAllBytesAsync(path, sealedPdf);
        string pdfsig = ExternalTool.Run("pdfsig", path);
        File.Delete(path);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.Contains("Total document signed", pdfsig, StringComparison.Ordinal);
        string update = Encoding.Latin1.GetString(sealedPdf.AsSpan(Contract.Length));
        Assert.Contains($"/Subtype /Image /Width {current.WidthPx} /Height {current.HeightPx}", update, StringComparison.Ordinal);
        Assert.Contains("/SMask ", update, StringComparison.Ordinal);
        Assert.DoesNotContain("STSong-Light", update, StringComparison.Ordinal);

        // Back to the impression drawn from the text, then to the scan again; each switch is ledgered once.
        ESealView rendered = (await (await office.KeeperClient.PutAsJsonAsync($"/api/seals/{office.SealId}/e-seal/impression", new { source = "rendered" })).Content.ReadFromJsonAsync<ESealView>(OrgWorld.Json))!;
        Assert.Equal((ImpressionSource.Rendered, current.Id), (rendered.ESeal.Impression, rendered.ESeal.ImpressionScanId));
        Assert.Contains("<text", await office.KeeperClient.GetStringAsync($"/api/seals/{office.SealId}/e-seal/impression.svg"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PutAsJsonAsync($"/api/seals/{office.SealId}/e-seal/impression", new { source = "rendered" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PutAsJsonAsync($"/api/seals/{office.SealId}/e-seal/impression", new { source = "scan" })).StatusCode);

        Assert.Equal(["requested", "make", "record", "impression-scan", "impression-scan", "impression", "impression"], await ESealActionsAsync(office.SealId));
        StoredLedgerEntry scanEntry = await _cloud.Service<LedgerQueries>().FindAsync(current.LedgerEntryId) ?? throw new InvalidOperationException("no ledger entry");
        IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(scanEntry.Payload);
        Assert.Equal((current.Id, SealedFiles.Sha256Of(jpeg), uploaded.Scan.Id, "45"), (fields["scan"], fields["sha256"], fields["replaced"], fields["widthMm"]));
        Assert.True((await _cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);

        // What an OA system reads: the endpoints, the multipart form and the summaries in the OpenAPI document.
        using JsonDocument openApi = JsonDocument.Parse(await _cloud.CreateClient().GetStringAsync("/openapi/v1.json"));
        JsonElement paths = openApi.RootElement.GetProperty("paths");
        JsonElement upload = paths.GetProperty("/api/seals/{id}/e-seal/impression-scans").GetProperty("post");
        Assert.Contains("legacy seal", upload.GetProperty("summary").GetString(), StringComparison.Ordinal);
        JsonElement form = upload.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data");
        string schema = form.GetProperty("schema").TryGetProperty("$ref", out JsonElement reference)
            ? openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]).GetRawText()
            : form.GetRawText();
        Assert.Contains("\"file\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"widthMm\"", schema, StringComparison.Ordinal);
        Assert.True(paths.GetProperty("/api/seals/{id}/e-seal/impression").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/api/seals/{id}/e-seal/impression.svg").TryGetProperty("get", out _));
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Not_an_image_too_large_unusable_wrong_callers_and_a_frozen_or_revoked_seal_are_refused_and_nothing_is_stored()
    {
        (SealOffice office, _, _) = await ESealWorld.ApprovedAsync(_org, Contract);
        string otherProvince = await _org.UnitAsync(OrgWorld.Unique("zj"), "hq", "浙江省分公司");
        HttpClient otherKeeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), otherProvince, "keeper"));
        string seal = office.SealId;
        IReadOnlyList<string> before = await ESealActionsAsync(seal);

        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, Contract, "印模.png"), HttpStatusCode.UnsupportedMediaType, "PNG or JPEG");
        byte[] huge = new byte[(2 * 1024 * 1024) + 1];
        ScannedSeals.Png().AsSpan(0, 64).CopyTo(huge);
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, huge), HttpStatusCode.RequestEntityTooLarge, "2097152");
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, ScannedSeals.GreyPng()), HttpStatusCode.BadRequest, "no red seal ink");
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, ScannedSeals.Png(), widthMm: "5"), HttpStatusCode.BadRequest, "widthMm");
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, ScannedSeals.Png(), widthMm: "wide"), HttpStatusCode.BadRequest, "widthMm");
        await OrgWorld.AssertProblemAsync(await office.KeeperClient.PostAsync($"/api/seals/{seal}/e-seal/impression-scans", new StringContent("x")), HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(office.ApplicantClient, seal, ScannedSeals.Png())).StatusCode);
        await OrgWorld.AssertProblemAsync(await UploadAsync(otherKeeper, seal, ScannedSeals.Png()), HttpStatusCode.NotFound, seal); // another province's seal is not theirs to see
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, "seal-none", ScannedSeals.Png()), HttpStatusCode.NotFound, "seal-none");
        await OrgWorld.AssertProblemAsync(
            await office.KeeperClient.PutAsJsonAsync($"/api/seals/{seal}/e-seal/impression", new { source = "scan" }), HttpStatusCode.Conflict, "no scanned impression");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.ApplicantClient.PutAsJsonAsync($"/api/seals/{seal}/e-seal/impression", new { source = "rendered" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{seal}/e-seal/transitions", new { action = "freeze", reason = "审计" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, ScannedSeals.Png()), HttpStatusCode.Conflict, "is frozen");
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/seals/{seal}/e-seal/transitions", new { action = "revoke", reason = "注销" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await UploadAsync(office.KeeperClient, seal, ScannedSeals.Png()), HttpStatusCode.Conflict, "is revoked");

        // Nothing stored: no scan, the impression still drawn from the text, no impression entry in the ledger.
        Assert.Empty((await office.KeeperClient.GetFromJsonAsync<ImpressionScanView[]>($"/api/seals/{seal}/e-seal/impression-scans", OrgWorld.Json))!);
        ESealView view = (await office.KeeperClient.GetFromJsonAsync<ESealView>($"/api/seals/{seal}/e-seal", OrgWorld.Json))!;
        Assert.Equal((ImpressionSource.Rendered, (string?)null), (view.ESeal.Impression, view.ESeal.ImpressionScanId));
        Assert.Equal([.. before, "freeze", "revoke"], await ESealActionsAsync(seal));
    }
}
