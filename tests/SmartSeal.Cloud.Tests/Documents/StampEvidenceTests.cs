using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// After the stamp: the after-photo compared with the before-photo (same page, new red ink), the
/// flag and alarm when it is not, the page's stamp count from reported stamps, and the ledger
/// entry's evidence (approved page, photos, verdict, after-check) through the API.
/// </summary>
public class StampEvidenceTests(DocumentsFactory factory) : CloudTest<DocumentsFactory>(factory)
{
    private readonly DocumentsFactory _cloud = factory;

    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);

    private static byte[] Photo(byte[] pagePng, int seed, double rotation = 4) =>
        TestDocuments.Photograph(pagePng, new TestDocuments.Camera(RotationDegrees: rotation, Seed: seed));

    [Fact]
    public async Task The_same_page_now_stamped_matches_and_an_unstamped_or_other_page_is_flagged()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);
        byte[] page1 = TestDocuments.Render(copy, 1), page2 = TestDocuments.Render(copy, 2);
        byte[] before = Photo(page1, seed: 31);
        StampEvidenceChecker checker = _cloud.Service<StampEvidenceChecker>();

        StampEvidence stamped = await checker.CheckAsync(applicationId, documentId, 1, before, Photo(TestDocuments.Stamp(page1), seed: 32, rotation: -3), CancellationToken.None);
        StampEvidence unstamped = await checker.CheckAsync(applicationId, documentId, 1, before, Photo(page1, seed: 33), CancellationToken.None);
        StampEvidence otherPage = await checker.CheckAsync(applicationId, documentId, 1, before, Photo(TestDocuments.Stamp(page2), seed: 34), CancellationToken.None);
        StampEvidence blank = await checker.CheckAsync(applicationId, documentId, 1, before, TestDocuments.Photograph(TestDocuments.Jpeg(page1), new TestDocuments.Camera(Blur: 14, Seed: 35)), CancellationToken.None);

        Assert.True(stamped.Result == StampEvidenceResult.Match, string.Join(" / ", stamped.Reasons));
        Assert.True(stamped.InkAfter > stamped.InkBefore);
        Assert.True(unstamped.Result == StampEvidenceResult.NoStamp, string.Join(" / ", unstamped.Reasons));
        Assert.True(otherPage.Result == StampEvidenceResult.OtherPage, string.Join(" / ", otherPage.Reasons));
        Assert.Contains("page 2", otherPage.Detail, StringComparison.Ordinal);
        Assert.True(blank.Result is StampEvidenceResult.Unreadable or StampEvidenceResult.OtherPage, string.Join(" / ", blank.Reasons));
        Assert.True(blank.Flagged);
    }

    [Fact]
    public async Task A_lock_trip_leaves_its_evidence_on_the_ledger_entry_and_an_unstamped_after_photo_raises_an_alarm()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);
        byte[] page1 = TestDocuments.Render(copy, 1), page2 = TestDocuments.Render(copy, 2);
        string lockId = "lock-ev-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await _cloud.ProvisionAsync(lockId);
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key);
        await device.ReportOnlineAsync();
        var bound = await _cloud.Service<CheckoutService>().BindToLockAsync(applicationId, lockId, null, "keeper-test");
        Assert.True(bound.Value is not null, $"bind: {bound.Status} {bound.Error}");
        string tokenId = bound.Value!.TokenId!;

        // Page 1: before → ok → stamped → after-photo with the seal on it.
        await LockTrip.StampAsync(device, "att-e1", tokenId, Photo(page1, seed: 41), Photo(TestDocuments.Stamp(page1), seed: 42), documentId, 1);
        // Page 2: before → ok → stamped, but the after-photo shows page 2 without any seal ink.
        await LockTrip.StampAsync(device, "att-e2", tokenId, Photo(page2, seed: 43), Photo(page2, seed: 44), documentId, 2);

        JsonElement[] checks = await WaitForAsync(async () =>
        {
            JsonElement[] rows = (await world.Applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/stamp-evidence")).EnumerateArray().ToArray();
            return rows.Length == 2 ? rows : null;
        });
        JsonElement first = checks.Single(c => c.GetProperty("attemptId").GetString() == "att-e1");
        JsonElement second = checks.Single(c => c.GetProperty("attemptId").GetString() == "att-e2");
        Assert.True(first.GetProperty("result").GetString() == "match", first.ToString());
        Assert.False(first.GetProperty("flagged").GetBoolean());
        Assert.True(second.GetProperty("result").GetString() == "no-stamp", second.ToString());
        Assert.True(second.GetProperty("flagged").GetBoolean());
        await using (var connection = await _cloud.Service<Database>().OpenAsync())
        {
            string? detail = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT detail FROM alarms WHERE device_id = @lockId AND type = 'stamp-evidence-mismatch'", new { lockId });
            Assert.NotNull(detail);
            Assert.Contains("att-e2", detail, StringComparison.Ordinal);
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM document_stamps WHERE document_id = @documentId", new { documentId }));
        }

        // The ledger entry of the first stamp, with everything behind it.
        JsonElement entry = (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?device={lockId}&kind=stamp")).EnumerateArray()
            .Single(e => e.GetProperty("fields").GetProperty("attempt").GetString() == "att-e1");
        long entryId = entry.GetProperty("id").GetInt64();
        JsonElement evidence = await DocumentWorld.OkAsync(await world.Admin.GetAsync($"/api/ledger/{entryId}/evidence"));
        Assert.True(evidence.GetProperty("chainVerified").GetBoolean());
        Assert.Equal((documentId, 1), (evidence.GetProperty("documentId").GetString(), evidence.GetProperty("page").GetInt32()));
        Assert.Equal("ok", evidence.GetProperty("verdict").GetProperty("verdict").GetString());
        Assert.Contains(evidence.GetProperty("verdict").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("text matches page 1", StringComparison.Ordinal));
        Assert.Equal("match", evidence.GetProperty("afterCheck").GetProperty("result").GetString());
        string[] purposes = evidence.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("purpose").GetString()!).ToArray();
        Assert.Equal(["before", "after"], purposes);
        string thumbnail = evidence.GetProperty("photos")[1].GetProperty("thumbnailUrl").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync(thumbnail)).StatusCode);

        HttpResponseMessage page = await world.Admin.GetAsync(evidence.GetProperty("pageImageUrl").GetString());
        Assert.Equal("image/png", page.Content.Headers.ContentType?.MediaType);
        DecodedPhoto decoded = PageCodeReader.Decode(await page.Content.ReadAsByteArrayAsync(), 1600);
        Assert.NotNull(decoded.CodeText); // the approved copy's page, with its code

        await OrgWorld.AssertProblemAsync(await world.Admin.GetAsync("/api/ledger/999999999/evidence"), HttpStatusCode.NotFound, "no ledger entry");
    }

    [Fact]
    public async Task An_ok_verdict_holds_its_page_until_the_hold_ends_and_only_reported_stamps_count_after()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract);
        byte[] photo = Photo(TestDocuments.Render(copy, 2), seed: 51);
        PagePhotoChecker checker = _cloud.Service<PagePhotoChecker>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await _cloud.Service<Database>().OpenAsync();

        // An old ok verdict whose stamp never came (the user walked away): the page is free again.
        await DocumentStore.InsertVerdictAsync(Verdict(applicationId, documentId, "att-old", now - 3_600_000), connection, null);
        PageVerdict free = await checker.CheckAsync(applicationId, photo, CancellationToken.None);
        // The hold is decided before OCR, so any verdict past it shows the page is free; the OCR's own
        // verdict on this photo (ok, or rarely a misread number) is DocumentCheckTests' business.
        Assert.True(free.Kind != DocumentVerdictKind.OverCount && free.Page == 2, $"{free.Kind}: {free.Detail} / {string.Join(" / ", free.Reasons)}");

        // A fresh ok verdict: the lock may be open on the page right now.
        await DocumentStore.InsertVerdictAsync(Verdict(applicationId, documentId, "att-new", now), connection, null);
        PageVerdict held = await checker.CheckAsync(applicationId, photo, CancellationToken.None);
        Assert.True(held.Kind == DocumentVerdictKind.OverCount, $"{held.Kind}: {held.Detail} / {string.Join(" / ", held.Reasons)}");
    }

    private static VerdictRecord Verdict(string applicationId, string documentId, string attempt, long createdMs) => new()
    {
        DeviceId = "lock-hold", PhotoId = "ph-" + Guid.NewGuid().ToString("n")[..8], AttemptId = attempt, ApplicationId = applicationId,
        DocumentId = documentId, Page = 2, Verdict = "ok", Reasons = "[]", CreatedMs = createdMs,
    };

    private static Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class => Eventually.ValueAsync(probe, "the probe found it", TimeSpan.FromSeconds(120));
}
