using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Applications;

/// <summary>A cloud on a fake clock whose calendar works around the clock every day and whose urgent steps are due after 1 ms: a test makes a step overdue by advancing the clock.</summary>
public sealed class InstantDeadlineCloudFactory : FakeTimeCloudFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["SmartSeal:Approvals:DayStart"] = "00:00",
        ["SmartSeal:Approvals:DayEnd"] = "23:59:59.9999999",
        ["SmartSeal:Approvals:UrgentStepTime"] = "00:00:00.001",
        ["SmartSeal:Approvals:WorkingDays:0"] = "Monday",
        ["SmartSeal:Approvals:WorkingDays:1"] = "Tuesday",
        ["SmartSeal:Approvals:WorkingDays:2"] = "Wednesday",
        ["SmartSeal:Approvals:WorkingDays:3"] = "Thursday",
        ["SmartSeal:Approvals:WorkingDays:4"] = "Friday",
        ["SmartSeal:Approvals:WorkingDays:5"] = "Saturday",
        ["SmartSeal:Approvals:WorkingDays:6"] = "Sunday",
    };
}

/// <summary>Overdue steps are listed for their approver (and for keepers), flagged in the inbox, and leave the list once decided.</summary>
public class OverdueTests : CloudTest<InstantDeadlineCloudFactory>
{
    private readonly OrgWorld _org;
    private readonly InstantDeadlineCloudFactory _cloud;

    public OverdueTests(InstantDeadlineCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task An_urgent_step_past_its_due_time_is_listed_as_overdue_until_decided()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper");
        string head = await _org.UserAsync(OrgWorld.Unique("head"), unit, "approver");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), unit, "applicant");
        HttpClient keeperClient = await _org.SignInAsync(keeper);
        string sealId = await OrgWorld.SealInUseAsync(keeperClient, unit);

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpClient applicantClient = await _org.SignInAsync(applicant);
        HttpResponseMessage submitted = await applicantClient.PostAsJsonAsync("/api/applications", new
        {
            sealId, purpose = "加急", documents = new[] { new { name = "函.pdf", pages = 1 } }, stamps = 1, mode = "cabinet",
            windowFromMs = now, windowToMs = now + 3_600_000, urgency = "urgent",
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        _cloud.Time.Advance(TimeSpan.FromSeconds(1)); // past the 1 ms deadline

        HttpClient headClient = await _org.SignInAsync(head);
        JsonElement[] overdue = (await headClient.GetFromJsonAsync<JsonElement[]>("/api/approvals/overdue"))!;
        JsonElement item = Assert.Single(overdue, o => o.GetProperty("applicationId").GetString() == id);
        Assert.True(item.GetProperty("overdue").GetBoolean());
        Assert.Equal("urgent", item.GetProperty("urgency").GetString());
        Assert.Contains((await keeperClient.GetFromJsonAsync<JsonElement[]>("/api/approvals/overdue"))!, o => o.GetProperty("applicationId").GetString() == id);
        Assert.True((await headClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox")).GetProperty("items")[0].GetProperty("overdue").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{id}/reject", new { comment = "不急" })).StatusCode);
        Assert.DoesNotContain((await keeperClient.GetFromJsonAsync<JsonElement[]>("/api/approvals/overdue"))!, o => o.GetProperty("applicationId").GetString() == id);
    }
}
