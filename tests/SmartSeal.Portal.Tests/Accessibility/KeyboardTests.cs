using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Accessibility;

/// <summary>Everything an approver does, done with the keyboard alone.</summary>
public sealed class KeyboardTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_approver_signs_in_reaches_the_inbox_and_batch_approves_with_the_keyboard_only()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "键盘审批 " + Guid.NewGuid().ToString("n")[..6];
        await world.ApplyAsync(Org, purpose);

        IPage page = await Fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await Expect(page.GetByLabel("账号")).ToBeFocusedAsync(); // autofocus
        await page.Keyboard.TypeAsync(world.Head);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(SmartSeal.Cloud.Tests.Organisation.OrgWorld.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("user-name")).ToBeVisibleAsync();

        // The first Tab offers the skip link, which moves focus to the main content.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "跳到主要内容" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // From the top, Tab reaches the inbox link in the navigation.
        await page.Locator("body").FocusAsync();
        await TabUntilAsync(page, page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "待我审批" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("待我审批");

        ILocator row = page.GetByTestId("inbox").Locator("tr", new() { HasText = purpose });
        await TabUntilAsync(page, row.GetByRole(AriaRole.Checkbox));
        await page.Keyboard.PressAsync("Space");
        await Expect(row.GetByRole(AriaRole.Checkbox)).ToBeCheckedAsync();
        await TabUntilAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "批量同意所选" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已批准 1 项。");
        await Expect(page.GetByTestId("inbox").Locator("tr", new() { HasText = purpose })).ToHaveCountAsync(0);
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 60 times).</summary>
    private static async Task TabUntilAsync(IPage page, ILocator target)
    {
        for (int presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"60 presses of Tab never reached {target}");
    }
}
