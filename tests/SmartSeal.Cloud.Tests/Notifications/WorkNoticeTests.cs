using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Notifications;

/// <summary>
/// Notices reach each person's chosen work apps — DingTalk work notice, WeCom app message, Feishu
/// bot message, in those platforms' own request shapes, through local fakes — titled in the
/// recipient's language with people and seals by name; the inbox, read marks, retries and bad input.
/// </summary>
public sealed class WorkNoticeTests : CloudTest<WorkAppsCloudFactory>
{
    private readonly WorkAppsCloudFactory _cloud;
    private readonly OrgWorld _org;

    public WorkNoticeTests(WorkAppsCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private WebhookReceiver Apps => _cloud.Apps;

    [Fact]
    public async Task Each_chosen_app_gets_the_notice_in_its_own_format_titled_in_the_recipients_language()
    {
        (string unit, string manager) = await UnitWithManagerAsync("王经理");
        string english = await _org.UserAsync(OrgWorld.Unique("en"), unit, "approver");
        string chinese = await _org.UserAsync(OrgWorld.Unique("zh"), unit, "approver");
        string dingId = "ding-" + english, wecomId = "wecom-" + english, feishuId = "fs-" + chinese;
        await ChooseAsync(english, new { language = "en", channels = new[] { "dingtalk", "wecom" }, dingTalkUser = dingId, weComUser = wecomId });
        await ChooseAsync(chinese, new { language = "zh-CN", channels = new[] { "feishu" }, feishuUser = feishuId });

        await _cloud.Service<INotifications>().NotifyAsync(
            [english, chinese, manager, english], new Notice(NoticeKind.NewTask, manager, "财务专用章", "ap-notice-1", "合同", "/Approvals"));

        const string englishTitle = "王经理 asks you to approve the use of “财务专用章”";
        const string chineseTitle = "王经理提交的“财务专用章”用印申请待您审批";

        // DingTalk: token by appkey/appsecret, then asyncsend_v2 with agent_id, userid_list and a markdown msg.
        ReceivedRequest ding = (await Apps.WaitForAsync("/topapi/message/corpconversation/asyncsend_v2", r => r.Text.Contains(dingId, StringComparison.Ordinal))).Single();
        Assert.Equal(WorkAppsCloudFactory.DingTalkToken, ding.Query["access_token"]);
        Assert.Contains(Apps.Requests("/gettoken"), r => r.Query["appkey"] == "dingappkey" && r.Query["appsecret"] == "ding-app-secret");
        JsonElement dingBody = JsonDocument.Parse(ding.Body).RootElement;
        Assert.Equal(2973471234, dingBody.GetProperty("agent_id").GetInt64());
        Assert.Equal(dingId, dingBody.GetProperty("userid_list").GetString());
        Assert.Equal("markdown", dingBody.GetProperty("msg").GetProperty("msgtype").GetString());
        Assert.Equal(englishTitle, dingBody.GetProperty("msg").GetProperty("markdown").GetProperty("title").GetString());
        Assert.Contains(WorkAppsCloudFactory.PortalUrl + "/Approvals", dingBody.GetProperty("msg").GetProperty("markdown").GetProperty("text").GetString());

        // WeCom: token by corpid/corpsecret, then message/send with touser, agentid and a textcard linking to the portal.
        ReceivedRequest wecom = (await Apps.WaitForAsync("/cgi-bin/message/send", r => r.Text.Contains(wecomId, StringComparison.Ordinal))).Single();
        Assert.Equal(WorkAppsCloudFactory.WeComToken, wecom.Query["access_token"]);
        Assert.Contains(Apps.Requests("/cgi-bin/gettoken"), r => r.Query["corpid"] == "ww1234567890abcdef" && r.Query["corpsecret"] == "wecom-secret");
        JsonElement wecomBody = JsonDocument.Parse(wecom.Body).RootElement;
        Assert.Equal((wecomId, "textcard", 1000002L), (wecomBody.GetProperty("touser").GetString(), wecomBody.GetProperty("msgtype").GetString(), wecomBody.GetProperty("agentid").GetInt64()));
        Assert.Equal(englishTitle, wecomBody.GetProperty("textcard").GetProperty("title").GetString());
        Assert.Equal(WorkAppsCloudFactory.PortalUrl + "/Approvals", wecomBody.GetProperty("textcard").GetProperty("url").GetString());
        Assert.Contains("ap-notice-1", wecomBody.GetProperty("textcard").GetProperty("description").GetString());

        // Feishu: tenant token by app_id/app_secret, then im/v1/messages with a Bearer token and content as a JSON string.
        ReceivedRequest feishu = (await Apps.WaitForAsync("/open-apis/im/v1/messages", r => r.Text.Contains(feishuId, StringComparison.Ordinal))).Single();
        Assert.Equal("Bearer " + WorkAppsCloudFactory.FeishuToken, feishu.Headers["Authorization"]);
        Assert.Equal("user_id", feishu.Query["receive_id_type"]);
        Assert.Contains(Apps.Requests("/open-apis/auth/v3/tenant_access_token/internal"), r => JsonDocument.Parse(r.Body).RootElement.GetProperty("app_id").GetString() == "cli_a1b2c3d4e5");
        JsonElement feishuBody = JsonDocument.Parse(feishu.Body).RootElement;
        Assert.Equal((feishuId, "text"), (feishuBody.GetProperty("receive_id").GetString(), feishuBody.GetProperty("msg_type").GetString()));
        string feishuText = JsonDocument.Parse(feishuBody.GetProperty("content").GetString()!).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith(chineseTitle, feishuText);

        // Nobody got a message on a channel they did not choose, and the actor was not told about their own act.
        Assert.DoesNotContain(Apps.Requests("/open-apis/im/v1/messages"), r => r.Text.Contains(english, StringComparison.Ordinal));
        HttpClient managerClient = await _org.SignInAsync(manager);
        Assert.Empty((await managerClient.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!.Items);

        // The inbox: titled in the reader's language (or the one asked for), one unread, marked read once.
        HttpClient englishClient = await _org.SignInAsync(english);
        Inbox inbox = (await englishClient.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!;
        InboxNotice notice = Assert.Single(inbox.Items);
        Assert.Equal((englishTitle, 1, "王经理"), (notice.Title, inbox.Unread, notice.ActorName));
        Assert.Equal(chineseTitle, (await englishClient.GetFromJsonAsync<Inbox>("/api/notifications?lang=zh-CN", OrgWorld.Json))!.Items[0].Title);
        IReadOnlyList<NoticeDelivery> deliveries = await Eventually.ValueAsync(
            async () => (await englishClient.GetFromJsonAsync<NoticeDelivery[]>($"/api/notifications/{notice.Id}/deliveries", OrgWorld.Json)) is { } d && d.All(x => x.Status == "delivered") ? d : null,
            "both deliveries marked delivered");
        Assert.Equal(["dingtalk", "wecom"], deliveries.Select(d => d.Channel).ToArray());
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));

        HttpClient chineseClient = await _org.SignInAsync(chinese);
        await OrgWorld.AssertProblemAsync(await chineseClient.PostAsync($"/api/notifications/{notice.Id}/read", null), HttpStatusCode.NotFound, "no notice");
        await OrgWorld.AssertProblemAsync(await chineseClient.GetAsync($"/api/notifications/{notice.Id}/deliveries"), HttpStatusCode.NotFound, "no notice");
        Assert.Equal(HttpStatusCode.OK, (await englishClient.PostAsync($"/api/notifications/{notice.Id}/read", null)).StatusCode);
        Assert.Equal(0, (await englishClient.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!.Unread);
        Assert.Equal(1, (await chineseClient.GetFromJsonAsync<Inbox>("/api/notifications?unread=true", OrgWorld.Json))!.Unread);
    }

    [Fact]
    public async Task A_failing_app_is_retried_until_it_accepts_and_a_notice_with_a_dedupe_key_arrives_once()
    {
        (string unit, _) = await UnitWithManagerAsync("李主任");
        string holder = await _org.UserAsync(OrgWorld.Unique("holder"), unit, "applicant");
        string wecomId = "wecom-" + holder;
        await ChooseAsync(holder, new { language = "zh-CN", channels = new[] { "wecom" }, weComUser = wecomId });
        Apps.FailFirst("/cgi-bin/message/send", 2);

        var notice = new Notice(NoticeKind.SealOverdue, null, "合同专用章", "ap-overdue-1", "2026-12-07 10:00 UTC", "/Applications/Detail/ap-overdue-1", "overdue:ap-overdue-1");
        await _cloud.Service<INotifications>().NotifyAsync([holder], notice);
        await _cloud.Service<INotifications>().NotifyAsync([holder], notice); // the sweeper's next run

        HttpClient client = await _org.SignInAsync(holder);
        long id = Assert.Single((await client.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!.Items).Id;
        NoticeDelivery delivery = await Eventually.ValueAsync(
            async () => (await client.GetFromJsonAsync<NoticeDelivery[]>($"/api/notifications/{id}/deliveries", OrgWorld.Json))!.SingleOrDefault(d => d.Status == "delivered"),
            "the WeCom delivery succeeded on its third attempt");
        Assert.Equal(3, delivery.Attempts);
        IReadOnlyList<ReceivedRequest> tries = Apps.Requests("/cgi-bin/message/send").Where(r => r.Text.Contains(wecomId, StringComparison.Ordinal)).ToList();
        Assert.Equal((2, 1), (tries.Count(r => r.AnsweredStatus == 500), tries.Count(r => r.AnsweredStatus == 200)));
        Assert.Equal("“合同专用章”已超期未归还", JsonDocument.Parse(tries[^1].Body).RootElement.GetProperty("textcard").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_user_the_app_does_not_know_is_tried_max_attempts_then_failed_with_the_platforms_reason_and_logged()
    {
        (string unit, _) = await UnitWithManagerAsync("赵处长");
        string person = await _org.UserAsync(OrgWorld.Unique("ghost"), unit, "applicant");
        await ChooseAsync(person, new { language = "en", channels = new[] { "dingtalk" }, dingTalkUser = "left-the-company" });
        Apps.Reply("/topapi/message/corpconversation/asyncsend_v2", "{\"errcode\":33012,\"errmsg\":\"无效的USERID\"}");
        try
        {
            await _cloud.Service<INotifications>().NotifyAsync([person], new Notice(NoticeKind.Rejected, null, "公章", "ap-ghost-1"));
            HttpClient client = await _org.SignInAsync(person);
            long id = Assert.Single((await client.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!.Items).Id;
            NoticeDelivery failed = await Eventually.ValueAsync(
                async () => (await client.GetFromJsonAsync<NoticeDelivery[]>($"/api/notifications/{id}/deliveries", OrgWorld.Json))!.SingleOrDefault(d => d.Status == "failed"),
                "the DingTalk delivery gave up");
            Assert.Equal(3, failed.Attempts);
            Assert.Contains("33012", failed.LastError);
            Assert.Contains(_cloud.Errors.Entries, e => e.Contains("gave up", StringComparison.Ordinal));
        }
        finally
        {
            Apps.Reply("/topapi/message/corpconversation/asyncsend_v2", "{\"errcode\":0,\"errmsg\":\"ok\",\"task_id\":1}");
            _cloud.Errors.Clear();
        }
    }

    [Fact]
    public async Task Bad_choices_and_queries_are_refused_with_the_reason_and_nothing_is_stored()
    {
        (string unit, _) = await UnitWithManagerAsync("钱科长");
        string person = await _org.UserAsync(OrgWorld.Unique("picky"), unit, "applicant");
        HttpClient client = await _org.SignInAsync(person);
        await ChooseAsync(person, new { language = "en", channels = new[] { "feishu" }, feishuUser = "fs-1" });

        await OrgWorld.AssertProblemAsync(await client.PutAsJsonAsync("/api/notifications/settings", new { language = "en", channels = new[] { "sms" } }), HttpStatusCode.BadRequest, "'sms' is not a channel");
        await OrgWorld.AssertProblemAsync(await client.PutAsJsonAsync("/api/notifications/settings", new { language = "en", channels = new[] { "wecom" } }), HttpStatusCode.BadRequest, "wecom user id is empty");
        await OrgWorld.AssertProblemAsync(await client.PutAsJsonAsync("/api/notifications/settings", new { language = "fr", channels = Array.Empty<string>() }), HttpStatusCode.BadRequest, "not a notice language");
        await OrgWorld.AssertProblemAsync(await client.GetAsync("/api/notifications?lang=fr"), HttpStatusCode.BadRequest, "not a notice language");
        await OrgWorld.AssertProblemAsync(await client.GetAsync("/api/notifications?limit=0"), HttpStatusCode.BadRequest, "between 1 and 500");

        NotificationSettingsView kept = (await client.GetFromJsonAsync<NotificationSettingsView>("/api/notifications/settings", OrgWorld.Json))!;
        Assert.Equal(("en", "fs-1"), (kept.Settings.Language, kept.Settings.FeishuUser));
        Assert.Equal(["feishu"], kept.Settings.Channels);
        Assert.Equal(["dingtalk", "wecom", "feishu"], kept.AvailableChannels);
    }

    [Fact]
    public async Task The_live_feed_pushes_a_notice_to_its_recipient_only()
    {
        (string unit, string manager) = await UnitWithManagerAsync("孙主任");
        string watcher = await _org.UserAsync(OrgWorld.Unique("watch"), unit, "approver");
        string other = await _org.UserAsync(OrgWorld.Unique("other"), unit, "approver");
        HttpClient watcherClient = await _org.SignInAsync(watcher);
        using HttpResponseMessage stream = await watcherClient.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new SseReader(await stream.Content.ReadAsStreamAsync());

        // Sent first: had the watcher's stream carried the other's notice, it would arrive first.
        await _cloud.Service<INotifications>().NotifyAsync([other], new Notice(NoticeKind.NewTask, manager, "公章", "ap-live-0"));
        await _cloud.Service<INotifications>().NotifyAsync([watcher], new Notice(NoticeKind.NewTask, manager, "公章", "ap-live-1", null, "/Approvals"));

        SseEvent told = await events.NextAsync();
        Assert.Equal("notice", told.Event);
        JsonElement data = JsonDocument.Parse(told.Data).RootElement;
        Assert.Equal((watcher, "/Approvals"), (data.GetProperty("recipient").GetString(), data.GetProperty("link").GetString()));
        Assert.Equal("孙主任提交的“公章”用印申请待您审批", data.GetProperty("titles").GetProperty("zh-CN").GetString());
        Assert.Equal("孙主任 asks you to approve the use of “公章”", data.GetProperty("titles").GetProperty("en").GetString());
    }

    /// <summary>A unit under hq and a manager there whose display name the notices must print instead of the login.</summary>
    private async Task<(string Unit, string Manager)> UnitWithManagerAsync(string displayName)
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("n"), "hq");
        string manager = OrgWorld.Unique("mgr");
        HttpResponseMessage created = await _org.Admin.PostAsJsonAsync("/api/org/users", new { login = manager, displayName, unitId = unit, post = "主任", password = OrgWorld.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (unit, manager);
    }

    private async Task ChooseAsync(string login, object settings)
    {
        HttpClient client = await _org.SignInAsync(login);
        HttpResponseMessage saved = await client.PutAsJsonAsync("/api/notifications/settings", settings);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }
}
