using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Accessibility;

/// <summary>
/// axe-core (Deque's engine, the one browser accessibility audits use) over every main page
/// (Chinese; the longest ones in English too): no violation of any impact — labels, names,
/// landmarks, contrast, ARIA use.
/// </summary>
public sealed class AxeTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_main_pages_have_no_accessibility_violations()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string applicationId = await world.ApplyAsync(Org, "无障碍检查", "urgent");
        string deviceId = "lock-axe-" + Guid.NewGuid().ToString("n")[..4];
        await Fixture.Cloud.ProvisionAsync(deviceId);
        await Fixture.Cloud.Service<AlarmService>().RaiseAsync(deviceId, AlarmTypes.LowBattery, 0, "12%");

        var problems = new List<string>();
        IPage anonymous = await Fixture.NewPageAsync();
        await AuditAsync(anonymous, "/Account/SignIn", problems);

        IPage applicant = await SignInAsync(world.Applicant);
        IPage head = await SignInAsync(world.Head);
        IPage keeper = await SignInAsync(world.Keeper);
        await AuditAsync(applicant, "/", problems);
        await AuditAsync(applicant, "/Applications/New", problems);
        await AuditAsync(applicant, "/Applications", problems);
        await AuditAsync(applicant, $"/Applications/Detail/{applicationId}", problems);
        await AuditAsync(head, "/Approvals", problems);
        await AuditAsync(head, $"/Applications/Detail/{applicationId}", problems);
        await AuditAsync(keeper, "/Devices", problems);
        await AuditAsync(keeper, $"/Devices/Detail/{deviceId}", problems);
        await AuditAsync(keeper, "/Alarms", problems);
        await AuditAsync(keeper, "/Seals", problems);
        await AuditAsync(keeper, "/Map", problems);
        await AuditAsync(keeper, $"/Map?device={deviceId}", problems);
        await AuditAsync(keeper, $"/Ledger?seal={world.SealId}&verify=true", problems);

        // English: same markup, other texts; the pages with the most text.
        await applicant.GetByTestId("language-switch").ClickAsync();
        await Expect(applicant.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await AuditAsync(applicant, "/Applications/New", problems);
        await AuditAsync(applicant, $"/Applications/Detail/{applicationId}", problems);

        Assert.True(problems.Count == 0, "axe found:\n" + string.Join("\n", problems.Distinct()));
    }

    private static async Task AuditAsync(IPage page, string path, List<string> problems)
    {
        await page.GotoAsync(path);
        AxeResult result = await page.RunAxe();
        foreach (AxeResultItem violation in result.Violations)
        {
            string where = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html.Length > 120 ? n.Html[..120] : n.Html));
            problems.Add($"{path} [{violation.Impact}] {violation.Id}: {violation.Help} — {where}");
        }
    }
}
