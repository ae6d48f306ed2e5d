using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Account;

/// <summary>Sign-in, wrong passwords, lockout and sign-out through the real form in Chromium.</summary>
public sealed class SignInTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_user_signs_in_sees_the_navigation_of_their_roles_and_signs_out()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await Fixture.NewPageAsync();

        // A page that needs a user sends the browser to the sign-in form, and back afterwards.
        await page.GotoAsync("/Approvals");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        await page.GetByLabel("账号").FillAsync(world.Head);
        await page.GetByLabel("密码").FillAsync(OrgWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("待我审批");
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("用户 " + world.Head);

        // An approver sees the inbox, not the keeper's or applicant's pages.
        ILocator nav = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "待我审批" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "设备" })).ToHaveCountAsync(0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "用印申请" })).ToHaveCountAsync(0);
        await page.GotoAsync("/Devices");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("无权访问");

        // An unknown record is a page in the user's language with the 404 status, not a bare status code.
        IResponse? missing = await page.GotoAsync("/Applications/Detail/ap-does-not-exist");
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("找不到该记录");

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn$"));
        await page.GotoAsync("/Approvals");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
    }

    [Fact]
    public async Task The_portal_cookie_opens_no_api_and_a_form_without_its_antiforgery_token_is_refused()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await SignInAsync(world.Keeper);

        // The API takes bearer tokens only: the signed-in browser's cookie gets nothing there.
        int api = await page.EvaluateAsync<int>("fetch('/api/me', { credentials: 'same-origin' }).then(r => r.status)");
        Assert.Equal(401, api);

        // A cross-site style post (cookie, no antiforgery token) does not disable anything.
        string deviceId = "lock-csrf-" + Guid.NewGuid().ToString("n")[..6];
        await Fixture.Cloud.ProvisionAsync(deviceId);
        int forged = await page.EvaluateAsync<int>(
            "id => fetch('/Devices/Detail/' + id + '?handler=Disable', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Reason=forged' }).then(r => r.status)",
            deviceId);
        Assert.Equal(400, forged);
        Assert.Null(await Fixture.Cloud.Service<SmartSeal.Cloud.Commands.DesiredStateService>().FindAsync(deviceId));
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_five_in_a_row_show_the_lockout()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await Fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");

        for (int attempt = 1; attempt <= 4; attempt++)
        {
            await page.GetByLabel("账号").FillAsync(world.Applicant);
            await page.GetByLabel("密码").FillAsync("not-the-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("账号或密码错误。");
            await Expect(page.GetByTestId("user-name")).ToHaveCountAsync(0);
        }

        await page.GetByLabel("账号").FillAsync(world.Applicant);
        await page.GetByLabel("密码").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("账号已锁定至");

        // Locked: even the right password is refused, with the same message.
        await page.GetByLabel("账号").FillAsync(world.Applicant);
        await page.GetByLabel("密码").FillAsync(OrgWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("账号已锁定至");
        await Expect(page.GetByTestId("user-name")).ToHaveCountAsync(0);
    }
}
