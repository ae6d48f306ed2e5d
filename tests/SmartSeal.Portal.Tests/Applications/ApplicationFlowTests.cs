using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Applications;

/// <summary>An applicant applies in the browser, both approvers of the chain approve in theirs, and the applicant sees it approved.</summary>
public sealed class ApplicationFlowTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_application_goes_from_the_form_through_two_approvers_to_approved()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "签订采购合同 " + Guid.NewGuid().ToString("n")[..6];

        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "用印申请" }).ClickAsync();
        await applicant.GetByLabel("印章", new() { Exact = true }).SelectOptionAsync(world.SealId);
        await applicant.GetByLabel("用印事由").FillAsync(purpose);
        await applicant.GetByLabel("第 1 个文件的名称").FillAsync("采购合同.pdf");
        await applicant.GetByLabel("第 1 个文件的页数").FillAsync("12");
        await applicant.GetByLabel("用印次数").FillAsync("3");
        await applicant.GetByLabel("外带（印章锁）").CheckAsync();
        await applicant.GetByLabel("紧急", new() { Exact = true }).CheckAsync();

        // A circle: typed centre and radius are drawn on the (tile-less) Leaflet map.
        await applicant.GetByLabel("圆形区域").CheckAsync();
        await applicant.GetByLabel("纬度", new() { Exact = true }).FillAsync("22.54");
        await applicant.GetByLabel("经度", new() { Exact = true }).FillAsync("114.06");
        await applicant.GetByLabel("半径（米）").FillAsync("800");
        await Expect(applicant.Locator("#location-map path.leaflet-interactive")).ToHaveCountAsync(1);
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();

        await Expect(applicant.GetByRole(AriaRole.Status)).ToContainTextAsync("申请已提交。");
        await Expect(applicant.GetByTestId("document-needed")).ToContainTextAsync("请在下方上传"); // applied without the contract: the page asks for it
        await Expect(applicant.Locator("[data-status]").First).ToHaveAttributeAsync("data-status", "pending");
        await Expect(applicant.GetByTestId("where-it-stands")).ToContainTextAsync("部门负责人审批");
        await Expect(applicant.GetByTestId("where-it-stands")).ToContainTextAsync(world.Head);
        await Expect(applicant.GetByText("圆心 22.54, 114.06，半径 800 米")).ToBeVisibleAsync();
        string applicationUrl = applicant.Url;

        await ApproveAsync(world.Head, purpose);

        // Between the steps the applicant sees who holds it now.
        await applicant.ReloadAsync();
        await Expect(applicant.GetByTestId("where-it-stands")).ToContainTextAsync("印章管理部门审批");
        await Expect(applicant.GetByTestId("where-it-stands")).ToContainTextAsync(world.Owner);

        await ApproveAsync(world.Owner, purpose);

        await applicant.GotoAsync("/Applications");
        ILocator row = applicant.GetByTestId("my-applications").Locator("tr", new() { HasText = purpose });
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "approved");
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("已批准");
        await applicant.GotoAsync(applicationUrl);
        await Expect(applicant.Locator(".timeline li.approved")).ToHaveCountAsync(3);
        await Expect(applicant.GetByTestId("instructions")).ToContainTextAsync("印章管理员将印章装入印章锁");
    }

    [Fact]
    public async Task A_form_with_missing_fields_is_shown_again_with_the_problems_marked()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync("/Applications/New");
        await applicant.GetByLabel("印章", new() { Exact = true }).SelectOptionAsync(world.SealId);
        await applicant.GetByLabel("多边形区域").CheckAsync();
        await applicant.GetByLabel("多边形顶点（每行“纬度, 经度”）").FillAsync("22.5, 114.0\n22.6, 114.1");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();

        await Expect(applicant.GetByTestId("form-errors")).ToBeVisibleAsync();
        await Expect(applicant.GetByText("多边形至少需要 3 个顶点")).ToBeVisibleAsync();
        await Expect(applicant.GetByLabel("印章", new() { Exact = true })).ToHaveValueAsync(world.SealId);
    }

    [Fact]
    public async Task A_returned_application_is_changed_and_resubmitted_by_the_applicant()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "退回修改 " + Guid.NewGuid().ToString("n")[..6];
        string applicationId = await world.ApplyAsync(Org, purpose);

        IPage head = await SignInAsync(world.Head);
        await head.GotoAsync($"/Applications/Detail/{applicationId}");
        await head.GetByRole(AriaRole.Button, new() { Name = "退回修改" }).ClickAsync();
        await Expect(head.GetByRole(AriaRole.Alert)).ToHaveTextAsync("驳回或退回时请填写意见。"); // a return needs a reason
        await head.GetByLabel("意见（驳回或退回时必填）").FillAsync("请补充合同附件页数");
        await head.GetByRole(AriaRole.Button, new() { Name = "退回修改" }).ClickAsync();
        await Expect(head.GetByRole(AriaRole.Status)).ToHaveTextAsync("已退回申请人修改。");

        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync($"/Applications/Detail/{applicationId}");
        await Expect(applicant.Locator("[data-status]").First).ToHaveAttributeAsync("data-status", "returned");
        await Expect(applicant.GetByText("请补充合同附件页数")).ToBeVisibleAsync();
        await applicant.GetByRole(AriaRole.Link, new() { Name = "修改后重新提交" }).ClickAsync();

        // The form comes back filled in with the application; the applicant changes the document's pages.
        await Expect(applicant.GetByLabel("用印事由")).ToHaveValueAsync(purpose);
        await Expect(applicant.GetByLabel("第 1 个文件的名称")).ToHaveValueAsync("合同.pdf");
        await applicant.GetByLabel("第 1 个文件的页数").FillAsync("6");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "重新提交" }).ClickAsync();

        await Expect(applicant.GetByRole(AriaRole.Status)).ToHaveTextAsync("申请已重新提交。");
        Assert.EndsWith($"/Applications/Detail/{applicationId}", applicant.Url, StringComparison.Ordinal);
        await Expect(applicant.Locator("[data-status]").First).ToHaveAttributeAsync("data-status", "pending");
        await Expect(applicant.GetByText("合同.pdf — 6 页")).ToBeVisibleAsync();
        await Expect(applicant.GetByTestId("where-it-stands")).ToContainTextAsync(world.Head);
    }

    private async Task ApproveAsync(string approver, string purpose)
    {
        IPage page = await SignInAsync(approver);
        await page.GotoAsync("/Approvals");
        ILocator row = page.GetByTestId("inbox").Locator("tr", new() { HasText = purpose });
        await Expect(row).ToContainTextAsync("紧急");
        await row.GetByRole(AriaRole.Link, new() { Name = "查看" }).ClickAsync();
        await page.GetByLabel("意见（驳回或退回时必填）").FillAsync("同意，按合同办理");
        await page.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已同意。");
        await page.Context.CloseAsync();
    }
}
