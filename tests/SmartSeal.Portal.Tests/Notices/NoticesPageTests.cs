using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Notices;

/// <summary>
/// A person's notices in the portal: pushed live (toast and menu badge) in the page's language, listed
/// on the notices page, marked read; the work-app choice refuses a channel without its user id.
/// </summary>
public sealed class NoticesPageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_notice_arrives_live_is_listed_in_either_language_is_marked_read_and_the_channel_choice_is_checked()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await SignInAsync(world.Applicant);
        await page.GotoAsync("/Notices");
        await Expect(page.GetByTestId("no-notices")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notice-count")).ToBeHiddenAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "open");

        await Fixture.Cloud.Service<INotifications>().NotifyAsync(
            [world.Applicant], new Notice(NoticeKind.Approved, world.Head, world.SealName, "ap-portal-1", null, "/Applications"));

        string chinese = $"您的“{world.SealName}”用印申请已由用户 {world.Head}批准";
        await Expect(page.GetByTestId("live-notice")).ToHaveTextAsync(new Regex("^" + Regex.Escape(chinese)));
        await Expect(page.GetByTestId("notice-count")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notice-count")).ToHaveAttributeAsync("data-count", "1");
        AxeResult axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Select(v => $"{v.Id}: {v.Help}"));

        await page.ReloadAsync();
        ILocator row = page.GetByTestId("notice-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveTextAsync(chinese);
        await Expect(row.GetByTestId("notice-state")).ToHaveTextAsync("未读");
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.GetByTestId("notice-row").GetByRole(AriaRole.Link)).ToHaveTextAsync($"Your application to use “{world.SealName}” was approved by 用户 {world.Head}");
        await page.GetByTestId("notice-row").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Mark read") }).ClickAsync();
        await Expect(page.GetByTestId("notice-row").GetByTestId("notice-state")).ToHaveTextAsync("read");
        await Expect(page.GetByTestId("notice-count")).ToBeHiddenAsync();

        // WeCom chosen without the person's WeCom id: refused, said in English, nothing stored; then with it: saved.
        await page.GetByTestId("channel-wecom").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("channels-error")).ToHaveTextAsync("A chosen channel needs your user ID on that platform.");
        await page.GetByLabel("Your user ID on WeCom").FillAsync("wecom-" + world.Applicant);
        await page.GetByLabel("Language of work notices").SelectOptionAsync("en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Notification settings saved." })).ToBeVisibleAsync();
        NotificationSettings saved = await Fixture.Cloud.Service<NotificationSettingsStore>().GetAsync(world.Applicant);
        Assert.Equal(("en", "wecom-" + world.Applicant), (saved.Language, saved.WeComUser));
        Assert.Equal(["wecom"], saved.Channels);
    }
}
