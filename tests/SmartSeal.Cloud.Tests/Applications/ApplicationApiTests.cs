using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Applications;

/// <summary>Applications and approvals through the API with real users and tokens, and the ledger behind them.</summary>
public class ApplicationApiTests : CloudTest<CloudFactory>
{
    private readonly OrgWorld _org;

    public ApplicationApiTests(CloudFactory cloud)
        : base(cloud)
    {
        _org = new OrgWorld(cloud);
    }

    private sealed record World(string SealId, string Applicant, string Head, string Owner, HttpClient ApplicantClient, HttpClient HeadClient, HttpClient OwnerClient,
        HttpClient KeeperClient, string City);

    private async Task<World> WorldAsync()
    {
        SealOffice o = await SealOffice.CreateAsync(_org);
        return new World(o.SealId, o.Applicant, o.Head, o.Owner, o.ApplicantClient, o.HeadClient, o.OwnerClient, o.KeeperClient, o.City);
    }

    private static object Request(string sealId, int stamps = 3, object? location = null, long? fromMs = null, long? toMs = null, string urgency = "normal")
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new
        {
            sealId,
            purpose = "签订采购合同",
            documents = new[] { new { name = "采购合同.pdf", pages = 12 } },
            stamps,
            mode = "cabinet",
            location = location ?? new { circle = new { lat = 22.54, lon = 114.06, radiusM = 500 } },
            windowFromMs = fromMs ?? now,
            windowToMs = toMs ?? now + 86_400_000,
            urgency,
        };
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<string> ApplyAsync(World w, string urgency = "normal") =>
        (await OkAsync(await w.ApplicantClient.PostAsJsonAsync("/api/applications", Request(w.SealId, urgency: urgency)), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string id, string decision, string? comment = null, long? version = null) =>
        client.PostAsJsonAsync($"/api/approvals/{id}/{decision}", new { comment, version });

    private async Task AssertLedgerAsync(string sealId, string applicationId, params string[] decisions)
    {
        JsonElement entries = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={sealId}&application={applicationId}&kind=application");
        Assert.Equal(decisions, entries.EnumerateArray().Reverse().Select(e => e.GetProperty("fields").GetProperty("decision").GetString()));
        JsonElement verification = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={sealId}");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task An_application_goes_through_the_department_head_and_the_seal_owner_to_approved_with_a_timeline_and_a_lead_time()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);

        JsonElement mine = (await w.ApplicantClient.GetFromJsonAsync<JsonElement>("/api/applications/mine")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
        Assert.Equal("pending", mine.GetProperty("status").GetString());
        Assert.Equal("department-head", mine.GetProperty("currentStep").GetString());
        Assert.Equal([w.Head], mine.GetProperty("heldBy").EnumerateArray().Select(h => h.GetString()));
        Assert.True(mine.GetProperty("stepDueMs").GetInt64() > mine.GetProperty("submittedMs").GetInt64());

        JsonElement inbox = await w.HeadClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox");
        JsonElement item = inbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("applicationId").GetString() == id);
        Assert.Equal(("normal", "department-head", false), (item.GetProperty("urgency").GetString(), item.GetProperty("step").GetString(), item.GetProperty("overdue").GetBoolean()));
        Assert.Equal(1, inbox.GetProperty("total").GetInt64());

        JsonElement afterHead = await OkAsync(await DecideAsync(w.HeadClient, id, "approve", "同意"));
        Assert.Equal(("seal-owner", "pending"), (afterHead.GetProperty("currentStep").GetString(), afterHead.GetProperty("status").GetString()));
        Assert.Equal(0, (await w.HeadClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await w.OwnerClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox")).GetProperty("total").GetInt64());

        JsonElement approved = await OkAsync(await DecideAsync(w.OwnerClient, id, "approve"));
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Empty(approved.GetProperty("heldBy").EnumerateArray());
        Assert.True(approved.GetProperty("leadTimeMs").GetInt64() >= 0);
        Assert.Equal(["approved", "approved"], approved.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        JsonElement headDecision = approved.GetProperty("steps")[0].GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal((w.Head, "approve", "同意"), (headDecision.GetProperty("actor").GetString(), headDecision.GetProperty("decision").GetString(), headDecision.GetProperty("comment").GetString()));

        JsonElement leadTimes = await _org.Admin.GetFromJsonAsync<JsonElement>("/api/approvals/lead-times");
        Assert.True(leadTimes.GetProperty("decided").GetInt32() >= 1);
        string metrics = await _org.Admin.GetStringAsync("/metrics");
        Assert.Contains("smartseal_approval_lead_time", metrics, StringComparison.Ordinal);
        await AssertLedgerAsync(w.SealId, id, "submitted", "approved", "approved");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_ends_the_application()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);
        JsonElement noReason = await OrgWorld.AssertProblemAsync(await DecideAsync(w.HeadClient, id, "reject"), HttpStatusCode.BadRequest, "needs a reason");
        Assert.True(noReason.GetProperty("errors").TryGetProperty("comment", out _));
        JsonElement rejected = await OkAsync(await DecideAsync(w.HeadClient, id, "reject", "用途不明"));
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("rejected", rejected.GetProperty("steps")[0].GetProperty("state").GetString());
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.OwnerClient, id, "approve"), HttpStatusCode.Conflict, "rejected");
        await OrgWorld.AssertProblemAsync(await w.ApplicantClient.PostAsJsonAsync($"/api/applications/{id}/withdraw", new { }), HttpStatusCode.Conflict, "rejected");
        await AssertLedgerAsync(w.SealId, id, "submitted", "rejected");
    }

    [Fact]
    public async Task A_returned_application_is_changed_and_resubmitted_and_approved_in_a_new_round()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);
        await OkAsync(await DecideAsync(w.HeadClient, id, "approve"));
        JsonElement returned = await OkAsync(await DecideAsync(w.OwnerClient, id, "return", "请补充合同第2页"));
        Assert.Equal("returned", returned.GetProperty("status").GetString());

        await OrgWorld.AssertProblemAsync(await w.HeadClient.PostAsJsonAsync($"/api/applications/{id}/resubmit", (object?)null), HttpStatusCode.Forbidden, "only the applicant");
        JsonElement resubmitted = await OkAsync(await w.ApplicantClient.PostAsJsonAsync($"/api/applications/{id}/resubmit", Request(w.SealId, stamps: 5)));
        Assert.Equal(("pending", 2, 5, "department-head"), (resubmitted.GetProperty("status").GetString(), resubmitted.GetProperty("round").GetInt32(),
            resubmitted.GetProperty("stamps").GetInt32(), resubmitted.GetProperty("currentStep").GetString()));

        await OkAsync(await DecideAsync(w.HeadClient, id, "approve"));
        Assert.Equal("approved", (await OkAsync(await DecideAsync(w.OwnerClient, id, "approve"))).GetProperty("status").GetString());
        await AssertLedgerAsync(w.SealId, id, "submitted", "approved", "returned", "resubmitted", "approved", "approved");
    }

    [Fact]
    public async Task Only_the_applicant_withdraws_and_only_before_the_final_approval()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);
        await OrgWorld.AssertProblemAsync(await w.HeadClient.PostAsJsonAsync($"/api/applications/{id}/withdraw", new { }), HttpStatusCode.Forbidden, "only the applicant");
        Assert.Equal("withdrawn", (await OkAsync(await w.ApplicantClient.PostAsJsonAsync($"/api/applications/{id}/withdraw", new { }))).GetProperty("status").GetString());
        Assert.Equal(0, (await w.HeadClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox")).GetProperty("total").GetInt64());

        string approvedId = await ApplyAsync(w);
        await OkAsync(await DecideAsync(w.HeadClient, approvedId, "approve"));
        await OkAsync(await DecideAsync(w.OwnerClient, approvedId, "approve"));
        await OrgWorld.AssertProblemAsync(await w.ApplicantClient.PostAsJsonAsync($"/api/applications/{approvedId}/withdraw", new { }), HttpStatusCode.Conflict, "approved");
        await AssertLedgerAsync(w.SealId, id, "submitted", "withdrawn");
    }

    [Fact]
    public async Task A_non_approver_is_forbidden_and_approving_twice_or_on_a_stale_version_is_a_conflict()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.OwnerClient, id, "approve"), HttpStatusCode.Forbidden, "not an approver of step 'department-head'");
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.ApplicantClient, id, "approve"), HttpStatusCode.Forbidden, "not an approver");
        string stranger = await _org.UserAsync(OrgWorld.Unique("stranger"), w.City, "approver", "applicant");
        Assert.Equal(HttpStatusCode.NotFound, (await (await _org.SignInAsync(stranger)).GetAsync($"/api/applications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.OwnerClient.GetAsync($"/api/applications/{id}")).StatusCode); // approver of a later step

        long version = (await w.ApplicantClient.GetFromJsonAsync<JsonElement>($"/api/applications/{id}")).GetProperty("version").GetInt64();
        await OkAsync(await DecideAsync(w.HeadClient, id, "approve", version: version));
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.HeadClient, id, "approve"), HttpStatusCode.Conflict, "already decided");
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.OwnerClient, id, "approve", version: version), HttpStatusCode.Conflict, "changed");
        await OkAsync(await DecideAsync(w.OwnerClient, id, "approve", version: version + 1));
    }

    [Fact]
    public async Task Concurrent_approvals_of_one_step_record_exactly_one_decision()
    {
        World w = await WorldAsync();
        string id = await ApplyAsync(w);
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DecideAsync(w.HeadClient, id, "approve")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await AssertLedgerAsync(w.SealId, id, "submitted", "approved");
    }

    [Fact]
    public async Task Invalid_applications_are_refused_with_validation_problems()
    {
        World w = await WorldAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        async Task Refused(object request, string field)
        {
            JsonElement problem = await OrgWorld.AssertProblemAsync(await w.ApplicantClient.PostAsJsonAsync("/api/applications", request), HttpStatusCode.BadRequest, field);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        await Refused(Request(w.SealId, stamps: 0), "stamps");
        await Refused(Request(w.SealId, stamps: 10_001), "stamps");
        await Refused(Request(w.SealId, location: new { polygon = Array.Empty<object>() }), "location.polygon");
        await Refused(Request(w.SealId, location: new { circle = new { lat = 22.5, lon = 114.0, radiusM = 0 } }), "location.circle.radiusM");
        await Refused(Request(w.SealId, fromMs: now - 7_200_000, toMs: now - 3_600_000), "window");
        await Refused(Request(w.SealId, fromMs: now + 7_200_000, toMs: now + 3_600_000), "window");
        await Refused(Request("no-such-seal"), "sealId");

        Assert.Equal(HttpStatusCode.OK, (await w.KeeperClient.PostAsJsonAsync($"/api/seals/{w.SealId}/transitions", new { action = "suspend", reason = "年检" })).StatusCode);
        JsonElement suspended = await OrgWorld.AssertProblemAsync(await w.ApplicantClient.PostAsJsonAsync("/api/applications", Request(w.SealId)), HttpStatusCode.BadRequest, "not in use");
        Assert.True(suspended.GetProperty("errors").TryGetProperty("sealId", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await w.HeadClient.PostAsJsonAsync("/api/applications", Request(w.SealId))).StatusCode); // approvers do not apply
    }

    [Fact]
    public async Task A_delegate_sees_the_delegators_inbox_and_approves_for_them()
    {
        World w = await WorldAsync();
        string deputy = await _org.UserAsync(OrgWorld.Unique("deputy"), w.City, "applicant");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(HttpStatusCode.Created, (await _org.Admin.PostAsJsonAsync("/api/org/delegations",
            new { fromLogin = w.Head, toLogin = deputy, startsMs = now - 1000, endsMs = now + 3_600_000, reason = "出差" })).StatusCode);
        string id = await ApplyAsync(w, urgency: "urgent");
        HttpClient deputyClient = await _org.SignInAsync(deputy);

        JsonElement item = (await deputyClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal((id, w.Head, "urgent"), (item.GetProperty("applicationId").GetString(), item.GetProperty("approver").GetString(), item.GetProperty("urgency").GetString()));

        JsonElement decided = await OkAsync(await DecideAsync(deputyClient, id, "approve", "代批"));
        JsonElement vote = decided.GetProperty("steps")[0].GetProperty("decisions")[0];
        Assert.Equal((w.Head, deputy), (vote.GetProperty("approver").GetString(), vote.GetProperty("actor").GetString()));
        await OrgWorld.AssertProblemAsync(await DecideAsync(w.HeadClient, id, "approve"), HttpStatusCode.Conflict, "already decided");
    }
}
