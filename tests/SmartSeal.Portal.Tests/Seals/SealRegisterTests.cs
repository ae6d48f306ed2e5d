using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Seals;

/// <summary>The keeper's seal register and its lifecycle actions.</summary>
public sealed class SealRegisterTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_keeper_suspends_a_seal_with_a_reason_and_resumes_it()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "印章登记" }).ClickAsync();
        ILocator row = keeper.GetByTestId("seals").Locator($"tr[data-seal='{world.SealId}']");
        await Expect(row.Locator("[data-state]")).ToHaveTextAsync("在用");

        // Suspending needs a reason: without one the register says so and nothing changes.
        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("suspend");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(keeper.GetByTestId("seal-error")).ToHaveTextAsync("此操作需要填写原因。");
        await Expect(row.Locator("[data-state]")).ToHaveTextAsync("在用");

        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("suspend");
        await row.GetByLabel($"{world.SealName} 的操作原因").FillAsync("年度审计期间暂停");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{world.SealName} 现为：暂停使用");
        await Expect(row.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "suspended");

        await row.GetByLabel($"{world.SealName} 的操作", new() { Exact = true }).SelectOptionAsync("resume");
        await row.GetByLabel($"{world.SealName} 的操作原因").FillAsync("审计结束");
        await row.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(row.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "in-use");
    }
}
