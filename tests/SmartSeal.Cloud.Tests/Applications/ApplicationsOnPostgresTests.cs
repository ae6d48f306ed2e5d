using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Applications;

/// <summary>Applications and approvals on PostgreSQL: every query of the area runs once on the other database.</summary>
public sealed class ApplicationsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_apply_delegate_return_resubmit_approve_and_concurrent_decisions_work_as_on_SQLite()
    {
        if (Cloud is null)
        {
            return;
        }

        var org = new OrgWorld(Cloud);
        await org.EnsureRootAsync();
        string province = await org.UnitAsync("gd", "hq");
        string city = await org.UnitAsync("gd-sz", province);
        string keeper = await org.UserAsync("keeper.a", province, "keeper");
        string owner = await org.UserAsync("owner.a", province, "approver");
        string head = await org.UserAsync("head.a", city, "approver");
        string deputy = await org.UserAsync("deputy.a", city, "applicant");
        string applicant = await org.UserAsync("applicant.a", city, "applicant");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(HttpStatusCode.Created, (await org.Admin.PostAsJsonAsync("/api/org/delegations", new { fromLogin = head, toLogin = deputy, unitId = city, startsMs = now - 1000, endsMs = now + 3_600_000 })).StatusCode);

        HttpClient keeperClient = await org.SignInAsync(keeper);
        Assert.Equal(HttpStatusCode.Created, (await keeperClient.PostAsJsonAsync("/api/seals", new { id = "gd-contract", name = "合同专用章", type = "contract", unitId = province, level = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync("/api/seals/gd-contract/transitions", new { action = "engrave" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync("/api/seals/gd-contract/transitions", new { action = "activate", rfidTag = "E28011AA00000009" })).StatusCode);

        HttpClient applicantClient = await org.SignInAsync(applicant);
        HttpResponseMessage submitted = await applicantClient.PostAsJsonAsync("/api/applications", new
        {
            sealId = "gd-contract", purpose = "合同", documents = new[] { new { name = "合同.pdf", pages = 4 } }, stamps = 2, mode = "lock",
            location = new { polygon = new[] { new { lat = 22.5, lon = 114.0 }, new { lat = 22.6, lon = 114.0 }, new { lat = 22.6, lon = 114.1 } } },
            windowFromMs = now, windowToMs = now + 86_400_000,
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        HttpClient deputyClient = await org.SignInAsync(deputy);
        Assert.Equal(1, (await deputyClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox?page=1&pageSize=10")).GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await deputyClient.PostAsJsonAsync($"/api/approvals/{id}/approve", new { comment = "代批" })).StatusCode);
        HttpClient ownerClient = await org.SignInAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PostAsJsonAsync($"/api/approvals/{id}/return", new { comment = "补材料" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await applicantClient.PostAsJsonAsync($"/api/applications/{id}/resubmit", (object?)null)).StatusCode);

        HttpClient headClient = await org.SignInAsync(head);
        HttpResponseMessage[] racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => headClient.PostAsJsonAsync($"/api/approvals/{id}/approve", new { })));
        Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(racing.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        JsonElement batch = await (await ownerClient.PostAsJsonAsync("/api/approvals/batch-approve", new { applicationIds = new[] { id, "ap-missing" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([200, 404], batch.EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        JsonElement mine = (await applicantClient.GetFromJsonAsync<JsonElement>("/api/applications/mine"))[0];
        Assert.Equal(("approved", 2), (mine.GetProperty("status").GetString(), mine.GetProperty("round").GetInt32()));
        Assert.Equal(1, (await org.Admin.GetFromJsonAsync<JsonElement>("/api/approvals/lead-times")).GetProperty("decided").GetInt32());
        Assert.Empty((await org.Admin.GetFromJsonAsync<JsonElement[]>("/api/approvals/overdue"))!);

        LedgerVerification verification = await Cloud.Service<LedgerVerifier>().VerifyAsync();
        Assert.True(verification.Intact, verification.FirstProblem?.Problem);
        Assert.Equal(6, (await Cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: "gd-contract", Kind: "application", Limit: 20))).Count);
    }
}
