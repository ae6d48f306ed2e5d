using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Notifications;

/// <summary>An application's life through the API leaves the right notices in the right inboxes: the approver's task, the applicant's outcome.</summary>
public sealed class ApplicationNoticeTests : CloudTest<CloudFactory>
{
    private readonly OrgWorld _org;

    public ApplicationNoticeTests(CloudFactory cloud)
        : base(cloud)
    {
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task Submit_tells_the_approver_approve_tells_the_applicant_and_the_seal_is_ready_reject_and_return_too()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("an"), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper");
        string head = await _org.UserAsync(OrgWorld.Unique("head"), unit, "approver");
        string applicant = await _org.UserAsync(OrgWorld.Unique("appl"), unit, "applicant");
        string sealId = await OrgWorld.SealInUseAsync(await _org.SignInAsync(keeper), unit, "合同专用章");
        HttpClient applicantClient = await _org.SignInAsync(applicant);
        HttpClient headClient = await _org.SignInAsync(head);

        string approved = await ApplyAsync(applicantClient, sealId);
        InboxNotice task = Assert.Single((await InboxAsync(headClient, "en")).Items);
        Assert.Equal((NoticeKind.NewTask, approved), (task.Kind, task.SubjectId));
        Assert.Equal($"用户 {applicant} asks you to approve the use of “合同专用章”", task.Title); // names, not ids
        Assert.DoesNotContain(sealId, task.Title);

        // The default chain's second step (approvers of the seal's unit) is the head's too: they approve it as well, and are not told of their own next step.
        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{approved}/approve", new { })).StatusCode);
        Assert.Single((await InboxAsync(headClient, "en")).Items);
        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{approved}/approve", new { })).StatusCode);
        Inbox applicantInbox = await InboxAsync(applicantClient, "zh-CN");
        Assert.Equal([NoticeKind.SealReady, NoticeKind.Approved], applicantInbox.Items.Select(n => n.Kind).ToArray());
        Assert.Equal($"您的“合同专用章”用印申请已由用户 {head}批准", applicantInbox.Items[1].Title);
        Assert.Equal("“合同专用章”已在印章柜中等您领取", applicantInbox.Items[0].Title);

        string rejected = await ApplyAsync(applicantClient, sealId);
        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{rejected}/reject", new { comment = "用途不明" })).StatusCode);
        string returned = await ApplyAsync(applicantClient, sealId);
        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{returned}/return", new { comment = "补充附件" })).StatusCode);
        Inbox after = await InboxAsync(applicantClient, "en");
        Assert.Equal((NoticeKind.Returned, returned), (after.Items[0].Kind, after.Items[0].SubjectId));
        Assert.Equal((NoticeKind.Rejected, rejected), (after.Items[1].Kind, after.Items[1].SubjectId));
        Assert.Equal(4, after.Unread);
        Assert.Equal(3, (await InboxAsync(headClient, "en")).Items.Count); // one task per submission
    }

    private static async Task<Inbox> InboxAsync(HttpClient client, string lang) =>
        (await client.GetFromJsonAsync<Inbox>($"/api/notifications?lang={lang}", OrgWorld.Json))!;

    private static async Task<string> ApplyAsync(HttpClient applicant, string sealId)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage submitted = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId, purpose = "合同", documents = new[] { new { name = "合同.pdf", pages = 2 } }, stamps = 1, mode = "cabinet", windowFromMs = now, windowToMs = now + 3_600_000,
        });
        string body = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
