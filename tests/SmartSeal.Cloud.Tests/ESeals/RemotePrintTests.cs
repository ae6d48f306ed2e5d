using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// Remote print (远程电子印章打印, issue 16 item 7) to a real CUPS scheduler (<see cref="CupsServer"/>):
/// each copy is numbered on its pages, is its own CUPS job and its own ledger entry; more copies than
/// approved, an unlisted printer and a queue CUPS does not know are refused, and a refusal prints
/// nothing and ledgers nothing.
/// </summary>
public class RemotePrintTests : CloudTest<ESealPrintCloudFactory>
{
    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);
    private readonly ESealPrintCloudFactory _cloud;

    public RemotePrintTests(ESealPrintCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private async Task<IReadOnlyList<StoredLedgerEntry>> PrintEntriesAsync(string sealId) =>
        (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: sealId, Limit: 200))).Where(e => e.Kind == ESealPrinting.LedgerKind).OrderBy(e => e.Id).ToList();

    [Fact]
    public async Task Numbered_copies_go_to_cups_one_job_and_one_ledger_entry_each_and_no_more_than_approved()
    {
        (SealOffice office, string applicationId, string documentId) = await ESealWorld.ApprovedAsync(new OrgWorld(_cloud), Contract, stamps: 2);
        HttpResponseMessage sealedResponse = await office.ApplicantClient.PostAsJsonAsync($"/api/applications/{applicationId}/e-seal", new { documentId, placement = new { everyPage = true, crossPage = true } });
        Assert.True(sealedResponse.StatusCode == HttpStatusCode.OK, await sealedResponse.Content.ReadAsStringAsync());
        SealingRecord sealing = (await sealedResponse.Content.ReadFromJsonAsync<SealingRecord>(OrgWorld.Json))!;
        string printUrl = $"/api/applications/{applicationId}/e-sealings/{sealing.Id}/print";

        // Three copies of two approved: refused before anything prints.
        int jobsBefore = CupsServer.Jobs().Count;
        await OrgWorld.AssertProblemAsync(await office.ApplicantClient.PostAsJsonAsync(printUrl, new { copies = 3 }), HttpStatusCode.Conflict, "exceed the approved 2");
        await OrgWorld.AssertProblemAsync(await office.ApplicantClient.PostAsJsonAsync(printUrl, new { copies = 1, printer = "somewhere-else" }), HttpStatusCode.BadRequest, "is not one of");
        await OrgWorld.AssertProblemAsync(await office.HeadClient.PostAsJsonAsync(printUrl, new { copies = 1 }), HttpStatusCode.Forbidden, "only the applicant");
        HttpResponseMessage unknownQueue = await office.ApplicantClient.PostAsJsonAsync(printUrl, new { copies = 1, printer = "not-in-cups" });
        Assert.Equal(HttpStatusCode.BadGateway, unknownQueue.StatusCode);
        Assert.Contains("copy 1 was not printed", await unknownQueue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(jobsBefore, CupsServer.Jobs().Count);
        Assert.Empty(await PrintEntriesAsync(office.SealId));

        // Two copies: two jobs, numbered 1/2 and 2/2, each ledgered with the hash of exactly what CUPS received.
        HttpResponseMessage printed = await office.ApplicantClient.PostAsJsonAsync(printUrl, new { copies = 2 });
        Assert.True(printed.StatusCode == HttpStatusCode.OK, await printed.Content.ReadAsStringAsync());
        PrintedCopy[] copies = (await printed.Content.ReadFromJsonAsync<PrintedCopy[]>(OrgWorld.Json))!;
        Assert.Equal([1, 2], copies.Select(c => c.CopyNumber));
        Assert.Equal(jobsBefore + 2, CupsServer.Jobs().Count);
        IReadOnlyList<StoredLedgerEntry> entries = await PrintEntriesAsync(office.SealId);
        Assert.Equal(2, entries.Count);
        foreach ((PrintedCopy copy, StoredLedgerEntry entry) in copies.Zip(entries))
        {
            Assert.Contains(copy.JobId, CupsServer.Jobs());
            byte[] received = CupsServer.JobData(copy.JobId);
            Assert.Equal(copy.PrintedSha256, SealedFiles.Sha256Of(received));
            IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(entry.Payload);
            Assert.Equal((copy.CopyNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), "2", copy.JobId, copy.PrintedSha256, sealing.Id),
                (fields["copy"], fields["of"], fields["job"], fields["printedSha256"], fields["sealing"]));
            Assert.Equal(copy.LedgerEntryId, entry.Id);

            // The copy number is on every page (poppler reads it back), and the seal in the copy still verifies.
            string path = Path.Combine(Path.GetTempPath(), $"copy-{Guid.NewGuid():n}.pdf");
            await File.WriteAllBytesAsync(path, received);
            string text = ExternalTool.Run("pdftotext", "-layout", path, "-");
            string pdfsig = ExternalTool.Run("pdfsig", path);
            File.Delete(path);
            // The footer's CJK words need poppler-data to be read back; the copy number and copy id are plain ASCII.
            Assert.Equal(sealing.Pages, text.Split(copy.Id).Length - 1);
            Assert.Equal(sealing.Pages, text.Split($"{copy.CopyNumber}/2 ").Length - 1);
            Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        }

        // All approved copies printed: one more is refused, nothing printed, nothing ledgered.
        await OrgWorld.AssertProblemAsync(await office.ApplicantClient.PostAsJsonAsync(printUrl, new { copies = 1 }), HttpStatusCode.Conflict, "(2 printed)");
        Assert.Equal(jobsBefore + 2, CupsServer.Jobs().Count);
        Assert.Equal(2, (await PrintEntriesAsync(office.SealId)).Count);
        PrintedCopy[] listed = (await office.ApplicantClient.GetFromJsonAsync<PrintedCopy[]>($"/api/applications/{applicationId}/e-prints", OrgWorld.Json))!;
        Assert.Equal(copies.Select(c => c.JobId), listed.Select(c => c.JobId));
        Assert.True((await _cloud.Service<LedgerVerifier>().VerifyAsync(office.SealId)).Intact);
    }
}
