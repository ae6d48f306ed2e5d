using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Account;

/// <summary>Chinese by default, English on request, remembered across pages and sign-in.</summary>
public sealed class LanguageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_portal_speaks_Chinese_first_and_switches_to_English_and_back()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await Fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("登录");

        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");

        // The choice sticks through sign-in and on every page.
        await page.GetByLabel("Login").FillAsync(world.Applicant);
        await page.GetByLabel("Password").FillAsync(SmartSeal.Cloud.Tests.Organisation.OrgWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Welcome");
        await page.GetByRole(AriaRole.Link, new() { Name = "New application" }).First.ClickAsync();
        await Expect(page.GetByLabel("Purpose")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit application" })).ToBeVisibleAsync();

        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "提交申请" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("用印事由")).ToBeVisibleAsync();
    }
}
