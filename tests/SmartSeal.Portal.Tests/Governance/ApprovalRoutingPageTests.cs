using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Governance;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Governance;

/// <summary>Keepers configure approval chains with a preview; an application shows its countersigning departments, signed and pending.</summary>
public sealed class ApprovalRoutingPageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_keeper_stores_a_chain_up_the_tree_and_previews_who_would_approve()
    {
        ChainOffice o = await ChainOffice.CreateAsync(Org);
        IPage keeper = await SignInAsync(o.Keeper);
        await keeper.GotoAsync("/Keeper/Chains");
        string name = OrgWorld.Unique("page-chain");

        // An empty chain is refused with the reason.
        await keeper.GetByLabel("名称").FillAsync(name);
        await keeper.GetByLabel("适用单位（含下级）").SelectOptionAsync(o.Province);
        await keeper.GetByTestId("save-chain").ClickAsync();
        await Expect(keeper.GetByTestId("chains-error")).ToContainTextAsync("empty chain");

        await keeper.GetByLabel("名称").FillAsync(name);
        await keeper.GetByLabel("适用单位（含下级）").SelectOptionAsync(o.Province);
        await keeper.GetByLabel("印章类型（逗号分隔，空为全部）").FillAsync("contract");
        await keeper.GetByLabel("步骤（JSON）").FillAsync(
            """[{"name":"town-head","kind":"post","post":"负责人","up":0},{"name":"county-head","kind":"post","post":"负责人","up":1}]""");
        await keeper.GetByTestId("save-chain").ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToContainTextAsync($"审批链 {name} 已保存。");
        await Expect(keeper.Locator($"[data-testid=chain][data-name='{name}']")).ToContainTextAsync("post 负责人");

        await keeper.GetByLabel("申请人账号").FillAsync(o.Applicant);
        await keeper.GetByLabel("印章", new() { Exact = true }).FillAsync(o.SealId);
        await keeper.GetByTestId("preview-chain").ClickAsync();
        ILocator preview = keeper.GetByTestId("preview");
        await Expect(preview).ToHaveAttributeAsync("data-chain", name);
        await Expect(preview.GetByTestId("preview-approvers")).ToHaveTextAsync([o.Heads[o.Township], o.Heads[o.County]]);
    }

    [Fact]
    public async Task The_application_shows_which_departments_have_countersigned_and_which_are_pending()
    {
        ChainOffice o = await ChainOffice.CreateAsync(Org);
        string legal = await Org.UnitAsync(OrgWorld.Unique("legal"), o.Province, "法律事务部");
        string finance = await Org.UnitAsync(OrgWorld.Unique("finance"), o.Province, "财务部");
        string legalHead = await o.PersonAsync(OrgWorld.Unique("legal-head"), legal, ChainOffice.HeadPost);
        await o.PersonAsync(OrgWorld.Unique("finance-head"), finance, ChainOffice.HeadPost);
        await o.SaveChainAsync(OrgWorld.Unique("countersign"),
            [ChainOffice.PostStep("town-head", 0), new { name = "legal-and-finance", kind = "countersign", post = ChainOffice.HeadPost, departments = new[] { legal, finance }, mode = "all-of" }]);
        JsonElement application = await o.ApplyAsync();
        string id = application.GetProperty("id").GetString()!;
        await o.DecideAsync(o.Heads[o.Township], id);
        await o.DecideAsync(legalHead, id);

        IPage applicant = await SignInAsync(o.Applicant);
        await applicant.GotoAsync($"/Applications/Detail/{id}");
        ILocator table = applicant.GetByTestId("countersign");
        await Expect(table.GetByRole(AriaRole.Caption)).ToHaveTextAsync("会签部门");
        await Expect(table.Locator($"[data-unit='{legal}']")).ToHaveAttributeAsync("data-signed", "true");
        await Expect(table.Locator($"[data-unit='{legal}']")).ToContainTextAsync(legalHead);
        await Expect(table.Locator($"[data-unit='{finance}']")).ToHaveAttributeAsync("data-signed", "false");
        await Expect(table.Locator($"[data-unit='{finance}']")).ToContainTextAsync("待签");
    }
}
