using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Accessibility;

/// <summary>Approvers approve on phones: the inbox on a 390x844 touch screen.</summary>
public sealed class PhoneTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task On_a_phone_the_inbox_fits_the_screen_and_an_approver_approves_by_tapping()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string urgent = "手机审批 紧急 " + Guid.NewGuid().ToString("n")[..6];
        string normal = "手机审批 普通 " + Guid.NewGuid().ToString("n")[..6];
        await world.ApplyAsync(Org, normal);
        await world.ApplyAsync(Org, urgent, "urgent");

        IPage page = await SignInAsync(world.Head, viewport: Phone, phone: true);
        await page.GotoAsync("/Approvals");
        ILocator rows = page.GetByTestId("inbox").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        // Nothing wider than the screen: no sideways scrolling.
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= Phone.Width, "the inbox is wider than a 390 px phone");

        // Rows are cards: each shows purpose, urgency and deadline, and a touch-sized open button inside the screen.
        ILocator urgentRow = rows.Filter(new() { HasText = urgent });
        await Expect(urgentRow).ToContainTextAsync("紧急");
        string dueLabel = await urgentRow.Locator("td[data-label='期限']").EvaluateAsync<string>("cell => getComputedStyle(cell, '::before').content");
        Assert.Contains("期限", dueLabel, StringComparison.Ordinal); // the column header, shown inside the card on a phone
        ILocator open = urgentRow.GetByRole(AriaRole.Link, new() { Name = "查看" });
        await open.ScrollIntoViewIfNeededAsync();
        LocatorBoundingBoxResult box = (await open.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= Phone.Width, $"the open button is outside the screen: x={box.X} width={box.Width}");
        Assert.True(box.Height >= 40, $"the open button is {box.Height} px high, too small to tap");

        await open.TapAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).TapAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已同意。");

        await page.GotoAsync("/Approvals");
        await Expect(rows).ToHaveCountAsync(1);
        await rows.First.GetByRole(AriaRole.Checkbox).TapAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "批量同意所选" }).TapAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已批准 1 项。");
        await Expect(page.GetByTestId("inbox-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_new_keeper_and_auditor_pages_fit_the_screen()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        await world.ApplyAsync(Org, "手机报表");
        IPage keeper = await SignInAsync(world.Keeper, viewport: Phone, phone: true);
        IPage auditor = await SignInAsync(world.Auditor, viewport: Phone, phone: true);
        foreach ((IPage page, string path) in new[]
                 {
                     (keeper, "/Board"), (keeper, "/Keeper"), (keeper, "/Keeper/Inventory"), (keeper, "/Keeper/Faces"), (keeper, "/Map"),
                     (auditor, "/Reports/Exports"), (auditor, "/Reports/Quarterly"), (auditor, "/Reports/Charts"),
                 })
        {
            await page.GotoAsync(path);
            int width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= Phone.Width, $"{path} is {width} px wide on a 390 px phone");
        }

        // The board's rows are labelled cards on a phone.
        await keeper.GotoAsync("/Board");
        string label = await keeper.GetByTestId("board").Locator($"tr[data-seal='{world.SealId}'] td[data-label='位置']").EvaluateAsync<string>("cell => getComputedStyle(cell, '::before').content");
        Assert.Contains("位置", label, StringComparison.Ordinal);
    }
}
