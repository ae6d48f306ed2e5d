using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using static SmartSeal.Cloud.Tests.Governance.ChainOffice;

namespace SmartSeal.Cloud.Tests.Governance;

/// <summary>A host of its own on a fake clock (whose escalation timer never fires by itself: the tests sweep when they mean to).</summary>
public sealed class EscalationCloudFactory : FakeTimeCloudFactory;

/// <summary>Overdue steps: reminded at the due time (working calendar), escalated one step time later, recorded and decided by the person escalated to.</summary>
public class EscalationTests : CloudTest<EscalationCloudFactory>
{
    private readonly EscalationCloudFactory _cloud;
    private readonly OrgWorld _org;

    public EscalationTests(EscalationCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private ApprovalEscalations Sweeper => _cloud.Services.GetRequiredService<ApprovalEscalations>();

    /// <summary>Read with a fresh sign-in: tokens expire on the host's (fake) clock, which the tests move by days.</summary>
    private async Task<JsonElement> FollowUpsAsync(ChainOffice o, string id) =>
        (await (await _org.SignInAsync(o.Applicant)).GetFromJsonAsync<JsonElement>($"/api/applications/{id}/follow-ups")).GetProperty("escalations");

    private async Task<JsonElement> ViewAsync(ChainOffice o, string id) =>
        await (await _org.SignInAsync(o.Applicant)).GetFromJsonAsync<JsonElement>($"/api/applications/{id}");

    private static object Request(string sealId, long nowMs, string urgency) => new
    {
        sealId, purpose = "签订合同", documents = new[] { new { name = "合同.pdf", pages = 3, type = "contract" } }, stamps = 1, mode = "cabinet",
        windowFromMs = nowMs, windowToMs = nowMs + 60L * 86_400_000, urgency,
    };

    [Theory]
    [InlineData("normal")]
    [InlineData("urgent")]
    public async Task An_overdue_step_reminds_its_approver_then_escalates_one_level_up_and_the_superior_decides(string urgency)
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("escalating"), [PostStep("town-head", 0)]);
        JsonElement application = await OkAsync(await o.ApplicantClient.PostAsJsonAsync("/api/applications", Request(o.SealId, _cloud.NowMs, urgency)), HttpStatusCode.Created);
        string id = application.GetProperty("id").GetString()!;
        long due = application.GetProperty("stepDueMs").GetInt64();
        TimeSpan stepTime = urgency == "urgent" ? TimeSpan.FromHours(2) : TimeSpan.FromHours(9);
        var calendar = WorkingCalendar.From(new ApprovalOptions());
        Assert.Equal(calendar.Add(_cloud.Time.GetUtcNow(), stepTime).ToUnixTimeMilliseconds(), due);

        // Not yet due: nothing happens.
        _cloud.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(due - 60_000));
        await Sweeper.SweepAsync();
        Assert.Empty((await FollowUpsAsync(o, id)).EnumerateArray());

        // Due: the town head is reminded, once.
        _cloud.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(due + 60_000));
        await Sweeper.SweepAsync();
        await Sweeper.SweepAsync();
        JsonElement reminded = (await FollowUpsAsync(o, id)).EnumerateArray().Single();
        Assert.Equal(("reminded", o.Heads[o.Township]), (reminded.GetProperty("kind").GetString(), Strings(reminded.GetProperty("logins")).Single()));

        // Just before one more step time of working hours: still only reminded; at it: escalated to the county head.
        long escalatesAt = calendar.Add(DateTimeOffset.FromUnixTimeMilliseconds(due + 60_000), stepTime).ToUnixTimeMilliseconds();
        _cloud.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(escalatesAt - 60_000));
        await Sweeper.SweepAsync();
        Assert.Single((await FollowUpsAsync(o, id)).EnumerateArray());
        _cloud.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(escalatesAt));
        await Sweeper.SweepAsync();
        JsonElement escalated = (await FollowUpsAsync(o, id)).EnumerateArray().Last();
        Assert.Equal(("escalated", o.Heads[o.County]), (escalated.GetProperty("kind").GetString(), Strings(escalated.GetProperty("logins")).Single()));

        JsonElement view = await ViewAsync(o, id);
        Assert.Equal([o.Heads[o.Township], o.Heads[o.County]], Strings(view.GetProperty("heldBy")));
        Assert.True(view.GetProperty("stepDueMs").GetInt64() > escalatesAt, "the escalated step starts a fresh due time");
        JsonElement inbox = await (await _org.SignInAsync(o.Heads[o.County])).GetFromJsonAsync<JsonElement>("/api/approvals/inbox");
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("applicationId").GetString() == id);
        Assert.Equal("approved", (await o.DecideAsync(o.Heads[o.County], id)).GetProperty("status").GetString());

        JsonElement ledger = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={o.SealId}&application={id}&kind=application");
        Assert.Equal(["submitted", "reminded", "escalated", "approved"], ledger.EnumerateArray().Reverse().Select(e => e.GetProperty("fields").GetProperty("decision").GetString()));
    }

    [Fact]
    public async Task A_step_escalates_to_the_configured_person_when_the_chain_names_one()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        string deputy = await o.PersonAsync(OrgWorld.Unique("deputy"), o.Province, "副总");
        await o.SaveChainAsync(OrgWorld.Unique("to-deputy"), [new { name = "town-head", kind = "post", post = HeadPost, up = 0, escalateTo = deputy }]);
        JsonElement application = await OkAsync(await o.ApplicantClient.PostAsJsonAsync("/api/applications", Request(o.SealId, _cloud.NowMs, "urgent")), HttpStatusCode.Created);
        string id = application.GetProperty("id").GetString()!;

        _cloud.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(application.GetProperty("stepDueMs").GetInt64() + 1));
        await Sweeper.SweepAsync();
        _cloud.Time.Advance(TimeSpan.FromDays(7));
        await Sweeper.SweepAsync();
        Assert.Equal(["reminded", "escalated"], (await FollowUpsAsync(o, id)).EnumerateArray().Select(f => f.GetProperty("kind").GetString()));
        Assert.Contains(deputy, Strings((await ViewAsync(o, id)).GetProperty("heldBy")));
    }
}
