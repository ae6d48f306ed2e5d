using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Portal.Tests.Infrastructure;

/// <summary>
/// Base of the browser tests: the shared host and browser, an organisation builder, sign-in through
/// the real form, and the host's error log checked after every test.
/// </summary>
[Collection(PortalCollection.Name)]
public abstract class PortalTest(PortalFixture fixture) : IAsyncLifetime
{
    static PortalTest()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    protected PortalFixture Fixture { get; } = fixture;

    protected OrgWorld Org { get; } = new(fixture.Cloud);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Fixture.Cloud.AssertNoErrors();
        return Task.CompletedTask;
    }

    /// <summary>Signs in through the sign-in form in a fresh browser profile and waits for the start page.</summary>
    protected async Task<IPage> SignInAsync(string login, string password = OrgWorld.Password, ViewportSize? viewport = null, bool phone = false)
    {
        IPage page = await Fixture.NewPageAsync(viewport, phone);
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("账号").FillAsync(login);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToBeVisibleAsync();
        return page;
    }
}
