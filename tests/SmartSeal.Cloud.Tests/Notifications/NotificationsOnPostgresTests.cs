using System.Net.Http.Json;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Notifications;

/// <summary>The notices' SQL on PostgreSQL (V022, the partial unique index behind ON CONFLICT, the settings upsert, RETURNING).</summary>
public sealed class NotificationsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_a_deduplicated_notice_arrives_once_is_marked_read_and_settings_are_replaced()
    {
        if (Cloud is null)
        {
            return;
        }

        var org = new OrgWorld(Cloud);
        await org.EnsureRootAsync();
        string unit = await org.UnitAsync(OrgWorld.Unique("pn"), "hq");
        string person = await org.UserAsync(OrgWorld.Unique("pg"), unit, "applicant");
        HttpClient client = await org.SignInAsync(person);
        Assert.True((await client.PutAsJsonAsync("/api/notifications/settings", new { language = "en", channels = Array.Empty<string>() })).IsSuccessStatusCode);
        Assert.True((await client.PutAsJsonAsync("/api/notifications/settings", new { language = "zh-CN", channels = Array.Empty<string>() })).IsSuccessStatusCode);

        var notice = new Notice(NoticeKind.TripEndingSoon, null, "公章", "ap-pg-1", "2026-12-07 18:00 UTC", null, "ending:ap-pg-1");
        await Cloud.Service<INotifications>().NotifyAsync([person], notice);
        await Cloud.Service<INotifications>().NotifyAsync([person], notice);
        await Cloud.Service<INotifications>().NotifyAsync([person], notice with { DedupeKey = null, Kind = NoticeKind.SealOverdue });

        Inbox inbox = (await client.GetFromJsonAsync<Inbox>("/api/notifications", OrgWorld.Json))!;
        Assert.Equal([NoticeKind.SealOverdue, NoticeKind.TripEndingSoon], inbox.Items.Select(n => n.Kind).ToArray());
        Assert.Equal("“公章”外带即将到期（2026-12-07 18:00 UTC）", inbox.Items[1].Title); // the language chosen last
        Assert.True((await client.PostAsync($"/api/notifications/{inbox.Items[1].Id}/read", null)).IsSuccessStatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<Inbox>("/api/notifications?unread=true", OrgWorld.Json))!.Unread);
    }
}
