using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>A PostgreSQL host with its e-seal keys on its own SoftHSM token and remote print to the private CUPS.</summary>
public sealed class ESealPostgresCloudFactory(string connectionString) : PostgresCloudFactory(connectionString)
{
    private readonly string _tokenLabel = SoftHsm.NewTokenLabel();

    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings.Concat(SoftHsm.Settings(_tokenLabel)).Concat(CupsServer.Settings()));
}

/// <summary>
/// The e-seal tables' SQL on PostgreSQL (V018 e_seals and e_seal_certificates, V019 e_sealings,
/// V028 e_seal_prints, V029 e_seal_impression_scans): lifecycle, sealing within the approved count,
/// remote print, a legacy scan as the impression, and the chain.
/// </summary>
public sealed class ESealsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    protected override PostgresCloudFactory CreateCloud(string connectionString) => new ESealPostgresCloudFactory(connectionString);

    [Fact]
    public async Task On_PostgreSQL_an_e_seal_is_made_seals_twice_of_two_is_refused_a_third_time_and_prints_numbered_copies()
    {
        if (Cloud is null)
        {
            return;
        }

        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(new OrgWorld(Cloud), TestDocuments.Pdf(TestDocuments.ContractPages), stamps: 2);
        string sealUrl = $"/api/applications/{applicationId}/e-seal";
        var body = new { documentId, placement = new { everyPage = true, crossPage = true } };
        HttpResponseMessage first = await office.ApplicantClient.PostAsJsonAsync(sealUrl, body);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await office.ApplicantClient.PostAsJsonAsync(sealUrl, body)).StatusCode);
        await OrgWorld.AssertProblemAsync(await office.ApplicantClient.PostAsJsonAsync(sealUrl, body), HttpStatusCode.Conflict, "used up");
        SealingRecord[] sealings = (await office.ApplicantClient.GetFromJsonAsync<SealingRecord[]>($"/api/applications/{applicationId}/e-sealings", OrgWorld.Json))!;
        Assert.Equal(2, sealings.Length);

        HttpResponseMessage printed = await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-sealings/{sealings[0].Id}/print", new { copies = 2 });
        Assert.True(printed.StatusCode == HttpStatusCode.OK, await printed.Content.ReadAsStringAsync());
        await OrgWorld.AssertProblemAsync(await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-sealings/{sealings[0].Id}/print", new { copies = 1 }), HttpStatusCode.Conflict, "(2 printed)");
        PrintedCopy[] copies = (await office.ApplicantClient.GetFromJsonAsync<PrintedCopy[]>($"/api/applications/{applicationId}/e-prints", OrgWorld.Json))!;
        Assert.Equal([1, 2], copies.Select(c => c.CopyNumber));

        IReadOnlyList<StoredLedgerEntry> entries = await Cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: office.SealId, Limit: 200));
        Assert.Equal(2, entries.Count(e => e.Kind == ESealingLedgerKinds.ESeal));
        Assert.Equal(2, entries.Count(e => e.Kind == ESealPrinting.LedgerKind));
        Assert.True((await Cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);
    }

    [Fact]
    public async Task On_PostgreSQL_a_legacy_scan_is_stored_replaced_chosen_and_sealed_with()
    {
        if (Cloud is null)
        {
            return;
        }

        byte[] contract = TestDocuments.Pdf(TestDocuments.ContractPages);
        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(new OrgWorld(Cloud), contract);
        byte[] png = ScannedSeals.Png();
        HttpResponseMessage first = await ImpressionScanApiTests.UploadAsync(office.KeeperClient, office.SealId, png, widthMm: "42");
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        Assert.Equal(png, await office.KeeperClient.GetByteArrayAsync(first.Headers.Location)); // BYTEA round trip
        Assert.Equal(HttpStatusCode.Created, (await ImpressionScanApiTests.UploadAsync(office.KeeperClient, office.SealId, ScannedSeals.Jpeg(), "旧章.jpg")).StatusCode);
        var scans = (await office.KeeperClient.GetFromJsonAsync<SmartSeal.Cloud.Seals.Electronic.ImpressionScanView[]>($"/api/seals/{office.SealId}/e-seal/impression-scans", OrgWorld.Json))!;
        Assert.Equal([true, false], scans.Select(s => s.Current));
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PutAsJsonAsync($"/api/seals/{office.SealId}/e-seal/impression", new { source = "rendered" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PutAsJsonAsync($"/api/seals/{office.SealId}/e-seal/impression", new { source = "scan" })).StatusCode);

        HttpResponseMessage sealing = await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true } });
        Assert.True(sealing.StatusCode == HttpStatusCode.OK, await sealing.Content.ReadAsStringAsync());
        byte[] sealedPdf = await office.ApplicantClient.GetByteArrayAsync((await sealing.Content.ReadFromJsonAsync<SealingRecord>(OrgWorld.Json))!.Download);
        Assert.Contains($"/Subtype /Image /Width {scans[0].WidthPx} ", System.Text.Encoding.Latin1.GetString(sealedPdf), StringComparison.Ordinal);
        Assert.True((await Cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);
    }
}
