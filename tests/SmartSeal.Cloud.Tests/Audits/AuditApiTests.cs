using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using OpenCvSharp;
using SmartSeal.Cloud.Audits;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Audits;

/// <summary>
/// An audit through the API, step by step with real outcomes: open (checklist sampled from the
/// ledger, photo pair of a stamp with photos, the stocktake), tick, record findings, assign,
/// the unit answers, return, answer again, accept, close; scores, CSV and PDF; and each refusal.
/// </summary>
public sealed class AuditApiTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task An_audit_goes_from_checklist_to_findings_rectification_close_and_report_and_refuses_what_the_rules_forbid()
    {
        var org = new OrgWorld(_cloud);
        await org.EnsureRootAsync();
        string province = await org.UnitAsync(OrgWorld.Unique("ap"), "hq", "审计省分公司");
        string city = await org.UnitAsync(OrgWorld.Unique("ac"), province, "审计市分公司");
        string other = await org.UnitAsync(OrgWorld.Unique("ao"), "hq");
        string auditor = await org.UserAsync(OrgWorld.Unique("auditor"), province, "auditor");
        string cityKeeper = await org.UserAsync(OrgWorld.Unique("keeper"), city, "keeper");
        string cityApplicant = await org.UserAsync(OrgWorld.Unique("applicant"), city, "applicant");
        string otherKeeper = await org.UserAsync(OrgWorld.Unique("keeper"), other, "keeper");
        HttpClient auditorClient = await org.SignInAsync(auditor);
        HttpClient keeperClient = await org.SignInAsync(cityKeeper);
        HttpClient applicantClient = await org.SignInAsync(cityApplicant);
        HttpClient otherClient = await org.SignInAsync(otherKeeper);
        string seal = await OrgWorld.SealInUseAsync(keeperClient, city, "合同专用章");

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string attempt = OrgWorld.Unique("att");
        string device = OrgWorld.Unique("lock-audit");
        await _cloud.ProvisionAsync(device, orgUnit: city);
        (string before, string after) = await StorePhotosAsync(device, attempt, now);
        await _cloud.Service<LedgerService>().AppendAsync([Stamp(seal, device, now - 60_000, attempt), Stamp(seal, device, now - 50_000, null)]);
        long stocktake = long.Parse(await IdOfAsync(await keeperClient.PostAsJsonAsync("/api/inventory-checks", new { unitId = city })), System.Globalization.CultureInfo.InvariantCulture);

        var open = new { title = "2026年第四季度用印审计", fromMs = now - 86_400_000, toMs = now + 3_600_000, unitIds = new[] { province }, seed = 42 };
        Assert.Equal(HttpStatusCode.Forbidden, (await applicantClient.PostAsJsonAsync("/api/audits", open)).StatusCode);
        await OrgWorld.AssertProblemAsync(await otherClient.PostAsJsonAsync("/api/audits", open), HttpStatusCode.Forbidden, "is not an auditor");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync("/api/audits", new { title = "x", fromMs = now, toMs = now - 1, unitIds = new[] { province } }), HttpStatusCode.BadRequest, "must start before it ends");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync("/api/audits", new { title = "x", fromMs = now - 1, toMs = now, unitIds = new[] { "no-such-unit" } }), HttpStatusCode.BadRequest, "no unit no-such-unit");

        Audit audit = await ReadAsync<Audit>(await auditorClient.PostAsJsonAsync("/api/audits", open), HttpStatusCode.Created);
        Audit again = await ReadAsync<Audit>(await auditorClient.PostAsJsonAsync("/api/audits", open), HttpStatusCode.Created);
        AuditItem[] entries = audit.Items.Where(i => i.Kind == AuditItemKinds.LedgerEntry).ToArray();
        Assert.InRange(entries.Length, 2, 10);
        Assert.Equal(entries.Select(i => i.Ref), again.Items.Where(i => i.Kind == AuditItemKinds.LedgerEntry).Select(i => i.Ref)); // same seed, same sample
        Assert.All(entries, i => Assert.Equal(city, i.UnitId));
        AuditItem pair = Assert.Single(audit.Items, i => i.Kind == AuditItemKinds.PhotoPair);
        Assert.Equal((before, after), (pair.PhotoBefore, pair.PhotoAfter));
        Assert.Equal(stocktake.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(audit.Items, i => i.Kind == AuditItemKinds.Stocktake).Ref);
        Assert.Equal(Enumerable.Range(0, audit.Items.Count).Select(i => (long)i), audit.Items.Select(i => i.Position));

        string at = $"/api/audits/{audit.Id}";
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/items/{entries[0].Id}/check", new { outcome = "maybe" }), HttpStatusCode.BadRequest, "ok or finding");
        AuditItem ticked = await ReadAsync<AuditItem>(await auditorClient.PostAsJsonAsync($"{at}/items/{entries[0].Id}/check", new { outcome = "ok", note = "与申请一致" }), HttpStatusCode.OK);
        Assert.Equal((auditor, "ok"), (ticked.CheckedBy, ticked.Outcome));
        await auditorClient.PostAsJsonAsync($"{at}/items/{pair.Id}/check", new { outcome = "finding", note = "盖章后照片模糊" });

        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/findings", new { itemId = pair.Id, severity = "critical", description = "x" }), HttpStatusCode.BadRequest, "minor");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/findings", new { unitId = other, severity = "minor", description = "x" }), HttpStatusCode.BadRequest, "name a unit of the audit");
        AuditFinding finding = await ReadAsync<AuditFinding>(await auditorClient.PostAsJsonAsync($"{at}/findings", new { itemId = pair.Id, severity = "moderate", description = "盖章后照片无法辨认用印页" }), HttpStatusCode.Created);
        Assert.Equal((city, FindingStatus.Open), (finding.UnitId, finding.Status));
        AuditFinding minor = await ReadAsync<AuditFinding>(await auditorClient.PostAsJsonAsync($"{at}/findings", new { unitId = city, severity = "minor", description = "登记簿签字不全" }), HttpStatusCode.Created);

        string fat = $"{at}/findings/{finding.Id}";
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{fat}/rectification", new { unitId = city, deadlineMs = now - 1 }), HttpStatusCode.BadRequest, "in the future");
        AuditFinding assigned = await ReadAsync<AuditFinding>(await auditorClient.PostAsJsonAsync($"{fat}/rectification", new { unitId = city, deadlineMs = now + 7 * 86_400_000L }), HttpStatusCode.OK);
        Assert.Equal((FindingStatus.Rectifying, city), (assigned.Status, assigned.RectifyUnit));
        Assert.Contains(await keeperClient.GetFromJsonAsync<AuditFinding[]>("/api/audits/rectifications", OrgWorld.Json) ?? [], f => f.Id == finding.Id);
        Assert.DoesNotContain(await otherClient.GetFromJsonAsync<AuditFinding[]>("/api/audits/rectifications", OrgWorld.Json) ?? [], f => f.Id == finding.Id);

        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsync($"{at}/close", null), HttpStatusCode.Conflict, $"rectification still open for finding(s) {finding.Id}");

        var answer = new { answer = "已重新拍照并补充登记" };
        await OrgWorld.AssertProblemAsync(await otherClient.PostAsJsonAsync($"{fat}/answer", answer), HttpStatusCode.NotFound, $"no finding {finding.Id}");
        await OrgWorld.AssertProblemAsync(await applicantClient.PostAsJsonAsync($"{fat}/answer", answer), HttpStatusCode.NotFound, $"no finding {finding.Id}");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{fat}/answer", answer), HttpStatusCode.Forbidden, "is not a keeper or head of " + city);
        await OrgWorld.AssertProblemAsync(await keeperClient.PostAsJsonAsync($"{fat}/answer", new { answer = " " }), HttpStatusCode.BadRequest, "answer");
        Assert.Equal(FindingStatus.Answered, (await ReadAsync<AuditFinding>(await keeperClient.PostAsJsonAsync($"{fat}/answer", answer), HttpStatusCode.OK)).Status);

        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{fat}/review", new { accept = false }), HttpStatusCode.BadRequest, "say why");
        AuditFinding returned = await ReadAsync<AuditFinding>(await auditorClient.PostAsJsonAsync($"{fat}/review", new { accept = false, note = "请附照片" }), HttpStatusCode.OK);
        Assert.Equal((FindingStatus.Rectifying, 1L), (returned.Status, returned.Returns));
        await ReadAsync<AuditFinding>(await keeperClient.PostAsJsonAsync($"{fat}/answer", new { answer = "已附重拍照片" }), HttpStatusCode.OK);
        AuditFinding accepted = await ReadAsync<AuditFinding>(await auditorClient.PostAsJsonAsync($"{fat}/review", new { accept = true }), HttpStatusCode.OK);
        Assert.Equal(FindingStatus.Closed, accepted.Status);
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{fat}/review", new { accept = false, note = "重开" }), HttpStatusCode.Conflict, "only an answered finding");
        await OrgWorld.AssertProblemAsync(await keeperClient.PostAsJsonAsync($"{fat}/answer", answer), HttpStatusCode.Conflict, "is closed");

        Audit closed = await ReadAsync<Audit>(await auditorClient.PostAsync($"{at}/close", null), HttpStatusCode.OK);
        Assert.Equal(auditor, closed.ClosedBy);
        Assert.All(closed.Findings, f => Assert.Equal((FindingStatus.Closed, true), (f.Status, f.ClosedMs is not null)));
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/findings", new { unitId = city, severity = "minor", description = "迟到的问题" }), HttpStatusCode.Conflict, "is closed");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/items/{entries[1].Id}/check", new { outcome = "ok" }), HttpStatusCode.Conflict, "is closed");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsJsonAsync($"{at}/findings/{minor.Id}/rectification", new { unitId = city, deadlineMs = now + 86_400_000L }), HttpStatusCode.Conflict, "is closed");
        await OrgWorld.AssertProblemAsync(await auditorClient.PostAsync($"{at}/close", null), HttpStatusCode.Conflict, "is closed");

        // The storage refuses too: not even SQL run past the service changes or deletes a closed finding.
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            DbException changed = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE audit_findings SET severity = 'minor' WHERE id = @id", new { id = finding.Id }));
            Assert.Contains("immutable", changed.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM audit_findings WHERE id = @id", new { id = minor.Id }));
            await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE audits SET closed_ms = NULL WHERE id = @id", new { id = audit.Id }));
        }

        UnitScore[] scores = (await auditorClient.GetFromJsonAsync<UnitScore[]>($"{at}/scores", OrgWorld.Json))!;
        Assert.Equal(new UnitScore(province, 100, 0, 0, 0, 0), Assert.Single(scores, s => s.UnitId == province));
        Assert.Equal(new UnitScore(city, 93, 1, 1, 0, 0), Assert.Single(scores, s => s.UnitId == city)); // 100 − 5 (一般) − 2 (轻微)

        HttpResponseMessage csv = await auditorClient.GetAsync($"{at}/report.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        string csvText = await csv.Content.ReadAsStringAsync();
        Assert.Contains("score,审计市分公司,93,1,1,0,0", csvText, StringComparison.Ordinal);
        Assert.Contains("盖章后照片无法辨认用印页", csvText, StringComparison.Ordinal);
        Assert.Contains("已附重拍照片", csvText, StringComparison.Ordinal);
        HttpResponseMessage pdf = await auditorClient.GetAsync($"{at}/report.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        byte[] pdfBytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.True(pdfBytes.Length > 2000 && "%PDF"u8.SequenceEqual(pdfBytes.AsSpan(0, 4)), $"{pdfBytes.Length} bytes");

        await OrgWorld.AssertProblemAsync(await otherClient.GetAsync(at), HttpStatusCode.NotFound, $"no audit {audit.Id}");
        Assert.DoesNotContain(await otherClient.GetFromJsonAsync<Audit[]>("/api/audits", OrgWorld.Json) ?? [], a => a.Id == audit.Id);
        Assert.Contains(await auditorClient.GetFromJsonAsync<Audit[]>("/api/audits", OrgWorld.Json) ?? [], a => a.Id == audit.Id);
    }

    private static LedgerEntry Stamp(string seal, string device, long atMs, string? attempt) => new()
    {
        SealId = seal, Kind = LedgerKinds.Stamp, AtMs = atMs, DeviceId = device, Actor = "chen.li", ApplicationId = "ap-audit", TokenId = "tok-audit",
        Source = "audit:" + Guid.NewGuid().ToString("n"),
        Fields = attempt is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["attempt"] = attempt },
    };

    /// <summary>Two small real JPEGs stored as the lock's before- and after-photo of the attempt (as photo assembly leaves them).</summary>
    private async Task<(string Before, string After)> StorePhotosAsync(string device, string attempt, long now)
    {
        var shas = new List<string>();
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        foreach ((string purpose, int gray) in new[] { ("before", 90), ("after", 160) })
        {
            using var image = new Mat(48, 64, MatType.CV_8UC3, OpenCvSharp.Scalar.All(gray));
            Cv2.ImEncode(".jpg", image, out byte[] jpeg);
            string sha = PhotoHash.Of(jpeg);
            await _cloud.Service<IPhotoStore>().PutAsync(sha, PhotoVariant.Original, jpeg, CancellationToken.None);
            await connection.ExecuteAsync("INSERT INTO photos (sha256, bytes, created_ms) VALUES (@sha, @bytes, @now) ON CONFLICT DO NOTHING", new { sha, bytes = jpeg.Length, now });
            await connection.ExecuteAsync(
                "INSERT INTO photo_refs (device_id, photo_id, sha256, purpose, attempt_id, device_ms, server_ms) VALUES (@device, @photoId, @sha, @purpose, @attempt, @now, @now)",
                new { device, photoId = OrgWorld.Unique("ph"), sha, purpose, attempt, now });
            shas.Add(sha);
        }

        return (shas[0], shas[1]);
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").ToString();
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, OrgWorld.Json)!;
    }
}
