using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Cloud.Tests.Photos;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Ledger;

/// <summary>
/// An auditor opens a lock stamp from the ledger search and sees its evidence: the entry and its
/// verified chain, the approved page beside the before/after photos, the verdict with its reasons
/// and the after-stamp check.
/// </summary>
public sealed class LedgerEntryTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_auditor_opens_a_stamp_and_sees_the_approved_page_the_photos_the_verdict_and_the_after_check()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        await NameAsync(world.Applicant, "张伟", "采购专员");
        await NameAsync(world.Head, "李娜", "部门经理");
        await NameAsync(world.Owner, "王强", "印章主管");
        (string applicationId, string documentId, byte[] copy) = await ApprovedLockApplicationAsync(world);
        byte[] page1 = TestDocuments.Render(copy, 1);
        string lockId = "lock-pe-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await Fixture.Cloud.ProvisionAsync(lockId);
        await using DeviceClient device = await DeviceClient.ConnectAsync(Fixture.Cloud.MqttPort, lockId, key);
        await device.ReportOnlineAsync();
        var bound = await Fixture.Cloud.Services.GetRequiredService<CheckoutService>().BindToLockAsync(applicationId, lockId, null, "keeper-test");
        Assert.True(bound.Value is not null, $"bind: {bound.Status} {bound.Error}");
        await LockTrip.StampAsync(device, "att-p1", bound.Value!.TokenId!,
            TestDocuments.Photograph(page1, new TestDocuments.Camera(Seed: 61)),
            TestDocuments.Photograph(TestDocuments.Stamp(page1), new TestDocuments.Camera(RotationDegrees: -3, Seed: 62)), documentId, 1,
            new SmartSeal.Protocol.Messages.GeoFix { TimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LatE7 = 225_431_000, LonE7 = 1_140_579_000, AccuracyCm = 500, Satellites = 9, Quality = 1 });
        HttpClient applicant = await Org.SignInAsync(world.Applicant);
        await Eventually.Async(
            async () => (await applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/stamp-evidence")).GetArrayLength() > 0,
            "the after-stamp check is recorded",
            TimeSpan.FromSeconds(120));

        // The head changes post after the stamp: the ledger keeps the post as it was when the entry was written.
        await NameAsync(world.Head, "李娜", "已调任其他岗位");
        await Fixture.Cloud.Services.GetRequiredService<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true);

        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GotoAsync($"/Ledger?seal={world.SealId}&kind=stamp");
        ILocator rows = auditor.GetByTestId("ledger").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await rows.First.Locator("a[href^='/Ledger/Entry/']").ClickAsync();

        await Expect(auditor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("台账条目");
        await Expect(auditor.GetByTestId("entry-facts")).ToContainTextAsync(lockId);
        await Expect(auditor.GetByTestId("chain")).ToHaveAttributeAsync("data-verified", "true");
        await Expect(auditor.GetByTestId("verdict-kind")).ToHaveAttributeAsync("data-verdict", "ok");
        await Expect(auditor.GetByTestId("verdict")).ToContainTextAsync("text matches page 1");
        await Expect(auditor.GetByTestId("after-check")).ToHaveAttributeAsync("data-flagged", "false");
        await Expect(auditor.GetByTestId("after-check")).ToContainTextAsync("已加盖印章");
        // The page check's evidence: the before-photo rectified onto the approved page, differences marked.
        foreach (string figure in new[] { "approved-page", "photo-before", "photo-after", "difference-image" })
        {
            ILocator image = auditor.GetByTestId(figure).Locator("img");
            await Expect(image).ToBeVisibleAsync();
            await auditor.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        }

        await AssertReadableAsync(auditor, world);

        // The full photo behind the thumbnail, and nothing outside the entry's attempt.
        IAPIResponse photo = await auditor.APIRequest.GetAsync(await auditor.GetByTestId("photo-after").Locator("a").GetAttributeAsync("href") ?? "");
        Assert.Equal("image/jpeg", photo.Headers["content-type"]);
        IAPIResponse foreign = await auditor.APIRequest.GetAsync(auditor.Url + "?handler=Photo&sha256=" + new string('0', 64));
        Assert.Equal((int)HttpStatusCode.NotFound, foreign.Status);
    }

    /// <summary>
    /// What the issue asks of an entry people read: labelled fields (no raw keys), names with unit and post and
    /// never a login, local Beijing times, kind in words, the seal by name with its code secondary, the position
    /// on a map, the signed checkpoint, and photo thumbnails that load as JPEGs.
    /// </summary>
    private async Task AssertReadableAsync(IPage auditor, PortalWorld world)
    {
        long entryId = long.Parse(auditor.Url.Split('/')[^1].Split('?')[0], System.Globalization.CultureInfo.InvariantCulture);
        StoredLedgerEntry entry = (await Fixture.Cloud.Services.GetRequiredService<LedgerQueries>().FindAsync(entryId))!;
        await Expect(auditor.GetByTestId("entry-kind")).ToHaveTextAsync("盖章");
        ILocator fields = auditor.GetByTestId("entry-fields");
        foreach (string label in await fields.Locator("dt").AllInnerTextsAsync())
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", label); // a zh-CN label, not a field key such as accuracyM or photoBefore
        }

        string facts = await fields.InnerTextAsync();
        foreach (string login in new[] { world.Applicant, world.Head, world.Owner })
        {
            Assert.DoesNotContain(login, facts, StringComparison.Ordinal);
        }

        Assert.Contains("张伟 · 深圳市分公司 · 采购专员", facts, StringComparison.Ordinal);
        Assert.Contains("李娜 · 深圳市分公司 · 部门经理", facts, StringComparison.Ordinal); // as when the stamp was recorded
        Assert.Contains("王强 · ", facts, StringComparison.Ordinal);
        Assert.Contains(world.SealName, facts, StringComparison.Ordinal);
        Assert.Contains("签订仓储服务合同", facts, StringComparison.Ordinal);
        string beijing = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(entry.AtMs), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))
            .ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("用印时间", facts, StringComparison.Ordinal);
        Assert.Contains(beijing, facts, StringComparison.Ordinal);
        await Expect(auditor.GetByTestId("time-zone")).ToContainTextAsync("北京时间");
        await Expect(auditor.Locator("footer")).ToContainTextAsync("北京时间");
        await Expect(auditor.Locator("footer")).Not.ToContainTextAsync("Asia/Shanghai");
        await Expect(auditor.GetByTestId("entry-map")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(auditor.GetByTestId("checkpoint")).ToHaveAttributeAsync("data-verified", "true");

        foreach (string figure in new[] { "photo-before", "photo-after" })
        {
            foreach (string? url in new[] { await auditor.GetByTestId(figure).Locator("img").GetAttributeAsync("src"), await auditor.GetByTestId(figure).Locator("a").GetAttributeAsync("href") })
            {
                IAPIResponse image = await auditor.APIRequest.GetAsync(url!);
                Assert.Equal(200, image.Status);
                Assert.Equal("image/jpeg", image.Headers["content-type"]);
                using OpenCvSharp.Mat decoded = OpenCvSharp.Cv2.ImDecode(await image.BodyAsync(), OpenCvSharp.ImreadModes.Color);
                Assert.False(decoded.Empty(), $"{url} decodes as a JPEG");
                Assert.True(decoded.Width >= 160, $"{url} is {decoded.Width} px wide");
            }
        }
    }

    /// <summary>Gives a test user a person's name and post (the organisation API has no rename yet).</summary>
    private async Task NameAsync(string login, string name, string post)
    {
        await using System.Data.Common.DbConnection connection = await Fixture.Cloud.Services.GetRequiredService<SmartSeal.Cloud.Storage.Database>().OpenAsync();
        await using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET display_name = @name, post = @post WHERE login = @login";
        foreach ((string key, string value) in new[] { ("name", name), ("post", post), ("login", login) })
        {
            System.Data.Common.DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = "@" + key;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task An_auditor_opens_a_cabinet_hand_over_and_sees_its_stamping_video_beside_the_photo()
    {
        (SealOffice office, long entryId, string clipSha256) = await ClipIngestTests.HandOverClipAsync(Fixture.Cloud, Org);
        string auditorLogin = await Org.UserAsync(OrgWorld.Unique("auditor"), office.Province, "auditor");

        IPage auditor = await SignInAsync(auditorLogin);
        await auditor.GotoAsync($"/Ledger/Entry/{entryId}");
        await Expect(auditor.GetByTestId("chain")).ToHaveAttributeAsync("data-verified", "true");
        ILocator photo = auditor.GetByTestId("photo-handover").Locator("img");
        await Expect(photo).ToBeVisibleAsync();
        await auditor.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await photo.ElementHandleAsync());

        ILocator clip = auditor.GetByTestId("clip");
        await Expect(clip).ToHaveAttributeAsync("data-sha256", clipSha256);
        await Expect(clip).ToContainTextAsync("全程视频");
        // Chromium loads the clip through the page's handler far enough to know its length (2 s of test pattern).
        await auditor.WaitForFunctionAsync("v => v.readyState >= 1 && v.duration > 1.5 && v.duration < 2.5", await clip.Locator("video").ElementHandleAsync());
        Assert.Empty(await auditor.GetByTestId("approved-page").AllAsync()); // a hand-over has no page or before/after pair

        IAPIResponse video = await auditor.APIRequest.GetAsync(await clip.Locator("video").GetAttributeAsync("src") ?? "");
        Assert.Equal("video/mp4", video.Headers["content-type"]);
    }

    /// <summary>A lock application with the contract uploaded and approved: its id, document and approved copy.</summary>
    private async Task<(string ApplicationId, string DocumentId, byte[] Copy)> ApprovedLockApplicationAsync(PortalWorld world)
    {
        HttpClient applicant = await Org.SignInAsync(world.Applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage applied = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId = world.SealId, purpose = "签订仓储服务合同", documents = new[] { new { name = "采购合同.pdf", pages = 2 } }, stamps = 2, mode = "lock",
            windowFromMs = now, windowToMs = now + 86_400_000, urgency = "normal",
        });
        string applicationId = (await DocumentWorld.OkAsync(applied, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        HttpResponseMessage uploaded = await DocumentWorld.UploadAsync(applicant, applicationId, TestDocuments.Pdf(TestDocuments.ContractPages));
        string documentId = (await DocumentWorld.OkAsync(uploaded, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        foreach (string approver in new[] { world.Head, world.Owner })
        {
            await DocumentWorld.OkAsync(await (await Org.SignInAsync(approver)).PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }));
        }

        byte[] copy = await applicant.GetByteArrayAsync($"/api/applications/{applicationId}/documents/{documentId}/approved-copy");
        return (applicationId, documentId, copy);
    }
}
