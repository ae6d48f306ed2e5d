using System.Data.Common;
using Dapper;
using Microsoft.Playwright;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Applications;

/// <summary>The applicant urges (督促) an overdue approver; the approver hands the step to a colleague (转办), who approves it for them.</summary>
public sealed class FollowUpTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_overdue_step_is_urged_once_and_handed_to_a_colleague_who_approves_it()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "督促 " + Guid.NewGuid().ToString("n")[..6];
        string id = await world.ApplyAsync(Org, purpose);
        string colleague = await Org.UserAsync(OrgWorld.Unique("colleague"), await UnitOfAsync(world.Head), "approver");

        // Not overdue yet: no urge button.
        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync($"/Applications/Detail/{id}");
        await Expect(applicant.GetByRole(AriaRole.Button, new() { Name = "督促审批人" })).ToHaveCountAsync(0);

        // The step's deadline passes (moved into the past here rather than waited for).
        await using (DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE applications SET step_due_ms = 1000 WHERE id = @id", new { id });
        }

        await applicant.ReloadAsync();
        await applicant.GetByRole(AriaRole.Button, new() { Name = "督促审批人" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已督促 {world.Head}。");
        await Expect(applicant.GetByTestId("urge")).ToContainTextAsync($"用户 {world.Applicant} 督促了 用户 {world.Head}"); // people by name
        await Expect(applicant.GetByRole(AriaRole.Button, new() { Name = "督促审批人" })).ToHaveCountAsync(0); // once per interval

        IPage head = await SignInAsync(world.Head);
        await head.GotoAsync($"/Applications/Detail/{id}");
        await head.GetByLabel("转给同事（账号）").FillAsync(colleague);
        await head.GetByLabel("意见（驳回或退回时必填）").FillAsync("本周出差");
        await head.GetByRole(AriaRole.Button, new() { Name = "转办" }).ClickAsync();
        await Expect(head.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已转给 {colleague} 办理。");
        await Expect(head.GetByTestId("delegation")).ToContainTextAsync($"用户 {world.Head} 转给 用户 {colleague} 办理");

        IPage other = await SignInAsync(colleague);
        await other.GotoAsync("/Approvals");
        ILocator row = other.GetByTestId("inbox").Locator("tr", new() { HasText = purpose });
        await row.GetByRole(AriaRole.Link, new() { Name = "查看" }).ClickAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
        await Expect(other.GetByRole(AriaRole.Status)).ToHaveTextAsync("已同意。");
        await Expect(other.GetByTestId("where-it-stands")).ToContainTextAsync(world.Owner);
        await Expect(other.Locator(".timeline li.approved").Nth(1)).ToContainTextAsync(colleague);
        await Expect(other.Locator(".timeline li.approved").Nth(1)).ToContainTextAsync(world.Head);
    }

    private async Task<string> UnitOfAsync(string login)
    {
        await using DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT unit_id FROM users WHERE login = @login", new { login }) ?? "";
    }
}
