using System.Data.Common;
using System.Net;
using Dapper;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SmartSeal.Cloud.Storage;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Applications;

/// <summary>An approver (not a keeper) with the inbox open is told live when the applicant urges (督促), and the row says so.</summary>
public sealed class UrgeNoticeTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_open_inbox_shows_the_urge_live_and_marks_the_row()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "催办 " + Guid.NewGuid().ToString("n")[..6];
        string id = await world.ApplyAsync(Org, purpose);
        await using (DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync())
        {
            // The step's deadline passes (moved into the past here rather than waited for).
            await connection.ExecuteAsync("UPDATE applications SET step_due_ms = 1000 WHERE id = @id", new { id });
        }

        IPage head = await SignInAsync(world.Head);
        await head.GotoAsync("/Approvals");
        ILocator row = head.GetByTestId("inbox").Locator("tr", new() { HasText = purpose });
        await Expect(row.GetByTestId("urged")).ToBeHiddenAsync();
        await Expect(head.Locator("html")).ToHaveAttributeAsync("data-live", "open");

        HttpClient applicant = await Org.SignInAsync(world.Applicant);
        Assert.Equal(HttpStatusCode.OK, (await applicant.PostAsync($"/api/applications/{id}/urge", null)).StatusCode);

        ILocator notice = head.GetByRole(AriaRole.Status);
        await Expect(notice).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{world.Applicant} 督促您审批申请 {id}。"));
        await Expect(row.GetByTestId("urged")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("urged")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^已督促 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        AxeResult axe = await head.RunAxe(); // the notice too: contrast, names, landmarks
        Assert.Empty(axe.Violations.Select(v => $"{v.Id}: {v.Help}"));
        await notice.GetByRole(AriaRole.Button, new() { Name = "关闭通知" }).ClickAsync();
        await Expect(notice).ToHaveCountAsync(0);

        // From the stored urge after a reload, in either language.
        await head.ReloadAsync();
        await Expect(row.GetByTestId("urged")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^已督促 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        await head.GetByTestId("language-switch").ClickAsync();
        await Expect(head.GetByTestId("inbox").Locator("tr", new() { HasText = purpose }).GetByTestId("urged")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^urged \d{4}-"));
    }
}
