using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.ESeals;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.ESeals;

/// <summary>
/// Issue 16 item 2 in the browser: on 电子印章 the keeper uploads a scan of a legacy seal's
/// impression (a PDF named .png is refused with the reason first), the scan becomes the impression
/// and its picture renders, and the keeper switches back to the impression drawn from the text.
/// </summary>
public sealed class ImpressionScanPortalTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_keeper_uploads_a_legacy_scan_as_the_impression_and_switches_back_to_the_rendered_one()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Seals/Electronic");
        ILocator row = keeper.GetByTestId("e-seals").Locator($"tr[data-seal='{world.SealId}']");
        ILocator impression = row.Locator("td[data-impression]");
        await row.GetByRole(AriaRole.Button, new() { Name = "申请制作电子印章" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-e-state", "requested");
        await Expect(impression).ToHaveAttributeAsync("data-impression", "rendered");

        // A PDF named like a picture is refused with the reason; nothing changes.
        await row.GetByText("旧章扫描件", new() { Exact = true }).ClickAsync();
        await row.GetByLabel($"{world.SealName} 的印模扫描件（PNG/JPEG）").SetInputFilesAsync(
            new FilePayload { Name = "印模.png", MimeType = "image/png", Buffer = TestDocuments.Pdf(TestDocuments.ContractPages) });
        await row.GetByRole(AriaRole.Button, new() { Name = "上传扫描件" }).ClickAsync();
        await Expect(keeper.GetByTestId("e-seal-error")).ToHaveTextAsync("扫描件必须是 PNG 或 JPEG 图片。");
        await Expect(impression).ToHaveAttributeAsync("data-impression", "rendered");

        // The scan, 40 mm wide: it becomes the impression and its picture renders.
        await row.GetByText("旧章扫描件", new() { Exact = true }).ClickAsync();
        await row.GetByLabel($"{world.SealName} 的印模扫描件（PNG/JPEG）").SetInputFilesAsync(
            new FilePayload { Name = "旧合同章.png", MimeType = "image/png", Buffer = ScannedSeals.Png() });
        await row.GetByLabel($"{world.SealName} 的印模实际宽度（毫米，留空按印章类型）").FillAsync("40");
        await row.GetByRole(AriaRole.Button, new() { Name = "上传扫描件" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToContainTextAsync($"{world.SealName} 的印模扫描件已保存并启用（40 × ");
        await Expect(impression).ToHaveAttributeAsync("data-impression", "scan");
        await keeper.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await row.GetByTestId("impression").ElementHandleAsync());

        // Back to the impression drawn from the seal's text.
        await row.GetByLabel($"{world.SealName} 的印模来源").SelectOptionAsync("rendered");
        await row.GetByRole(AriaRole.Button, new() { Name = "切换印模" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{world.SealName} 的印模现为：由印章文字生成");
        await Expect(impression).ToHaveAttributeAsync("data-impression", "rendered");
    }
}
