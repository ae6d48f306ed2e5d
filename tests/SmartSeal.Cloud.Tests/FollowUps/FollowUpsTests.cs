using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Tests.Applications;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.FollowUps;

/// <summary>
/// Urging (督促) an overdue approver and handing a step to a colleague (转办), on a cloud whose
/// urgent steps are overdue at once (<see cref="InstantDeadlineCloudFactory"/>).
/// </summary>
public sealed class FollowUpsTests : CloudTest<InstantDeadlineCloudFactory>
{
    private readonly OrgWorld _org;
    private readonly InstantDeadlineCloudFactory _cloud;

    public FollowUpsTests(InstantDeadlineCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task Only_the_applicant_urges_only_an_overdue_step_once_per_interval_and_the_approver_is_told_live()
    {
        (string unit, string sealId, string head, string applicant, _) = await WorldAsync();
        HttpClient applicantClient = await _org.SignInAsync(applicant);
        HttpClient headClient = await _org.SignInAsync(head);

        string normal = await ApplyAsync(applicantClient, sealId, "normal");
        await OrgWorld.AssertProblemAsync(await applicantClient.PostAsync($"/api/applications/{normal}/urge", null), HttpStatusCode.Conflict, "no overdue step");

        string urgent = await ApplyAsync(applicantClient, sealId, "urgent");
        _cloud.Time.Advance(TimeSpan.FromSeconds(1)); // past the 1 ms deadline
        await OrgWorld.AssertProblemAsync(await headClient.PostAsync($"/api/applications/{urgent}/urge", null), HttpStatusCode.Forbidden, "only the applicant");

        using LiveFeedHub.Subscription feed = _cloud.Service<LiveFeedHub>().Subscribe("user:" + head, null);
        HttpResponseMessage urged = await applicantClient.PostAsync($"/api/applications/{urgent}/urge", null);
        Assert.Equal(HttpStatusCode.OK, urged.StatusCode);
        JsonElement urge = await urged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(head, Assert.Single(urge.GetProperty("approvers").EnumerateArray()).GetString());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        LiveEvent told = await feed.Events.ReadAsync(timeout.Token);
        Assert.Equal("urge", told.Event);
        Assert.Contains(urgent, told.Data, StringComparison.Ordinal);

        await OrgWorld.AssertProblemAsync(await applicantClient.PostAsync($"/api/applications/{urgent}/urge", null), HttpStatusCode.Conflict, "already urged");

        JsonElement followUps = await headClient.GetFromJsonAsync<JsonElement>($"/api/applications/{urgent}/follow-ups");
        Assert.Equal(applicant, Assert.Single(followUps.GetProperty("urges").EnumerateArray()).GetProperty("urgedBy").GetString());
        HttpClient auditor = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("auditor"), unit, "auditor"));
        JsonElement[] ledger = (await auditor.GetFromJsonAsync<JsonElement[]>($"/api/ledger?seal={sealId}&application={urgent}"))!;
        Assert.Contains(ledger, e => e.GetProperty("fields").TryGetProperty("decision", out JsonElement d) && d.GetString() == "urged");
    }

    [Fact]
    public async Task The_approver_holding_a_step_hands_it_to_a_colleague_who_decides_it_for_them()
    {
        (string unit, string sealId, string head, string applicant, string colleague) = await WorldAsync();
        HttpClient applicantClient = await _org.SignInAsync(applicant);
        HttpClient headClient = await _org.SignInAsync(head);
        HttpClient colleagueClient = await _org.SignInAsync(colleague);
        string id = await ApplyAsync(applicantClient, sealId, "normal");

        await OrgWorld.AssertProblemAsync(await colleagueClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = head }), HttpStatusCode.Forbidden, "does not hold");
        await OrgWorld.AssertProblemAsync(await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = applicant }), HttpStatusCode.BadRequest, "toLogin");
        string outsider = await _org.UserAsync(OrgWorld.Unique("clerk"), unit, "applicant");
        await OrgWorld.AssertProblemAsync(await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = outsider }), HttpStatusCode.BadRequest, "no active approver");
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueClient.GetAsync($"/api/applications/{id}")).StatusCode);

        HttpResponseMessage delegated = await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = colleague, reason = "出差" });
        Assert.Equal(HttpStatusCode.OK, delegated.StatusCode);
        await OrgWorld.AssertProblemAsync(await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = colleague }), HttpStatusCode.Conflict, "already");

        JsonElement inbox = await colleagueClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox");
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("applicationId").GetString() == id);
        HttpResponseMessage approved = await colleagueClient.PostAsJsonAsync($"/api/approvals/{id}/approve", new { comment = "代批" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        JsonElement decision = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("steps")[0].GetProperty("decisions")[0];
        Assert.Equal(colleague, decision.GetProperty("actor").GetString());
        Assert.Equal(head, decision.GetProperty("approver").GetString());

        JsonElement followUps = await colleagueClient.GetFromJsonAsync<JsonElement>($"/api/applications/{id}/follow-ups");
        JsonElement handed = Assert.Single(followUps.GetProperty("delegations").EnumerateArray());
        Assert.Equal(head, handed.GetProperty("from").GetString());
        Assert.Equal("出差", handed.GetProperty("reason").GetString());
    }

    /// <summary>A unit with a seal, its department head (the only approver of the one-step chain), an applicant and another approver.</summary>
    private async Task<(string Unit, string SealId, string Head, string Applicant, string Colleague)> WorldAsync()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper");
        string head = await _org.UserAsync(OrgWorld.Unique("head"), unit, "approver");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), unit, "applicant");
        HttpClient keeperClient = await _org.SignInAsync(keeper);
        string sealId = await OrgWorld.SealInUseAsync(keeperClient, unit);
        // Created after the seal, so the chain resolver picks the head as the step's approver and the colleague is not on the chain.
        string colleague = await _org.UserAsync(OrgWorld.Unique("colleague"), await _org.UnitAsync(OrgWorld.Unique("dept"), unit), "approver");
        return (unit, sealId, head, applicant, colleague);
    }

    private static async Task<string> ApplyAsync(HttpClient applicant, string sealId, string urgency)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage submitted = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId, purpose = "跟进 " + urgency, documents = new[] { new { name = "函.pdf", pages = 1 } }, stamps = 1, mode = "cabinet",
            windowFromMs = now, windowToMs = now + 3_600_000, urgency,
        });
        string body = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
