using System.Globalization;
using Microsoft.Playwright;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Keeper;

/// <summary>The keeper's unusual-use list: a night stamp on their seal, by seal name, with the reason in Chinese and in English.</summary>
public sealed class RiskPageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_night_stamp_is_listed_with_its_reason_in_either_language()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        long at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(15), TimeSpan.Zero).ToUnixTimeMilliseconds(); // 23:00 in Shanghai, yesterday
        await Fixture.Cloud.Service<LedgerService>().AppendAsync([new LedgerEntry
        {
            SealId = world.SealId, Kind = LedgerKinds.Stamp, AtMs = at, DeviceId = "lock-risk", Actor = world.Applicant, ApplicationId = "ap-risk-page",
            TokenId = "tok-risk", Source = "risk-page:" + Guid.NewGuid().ToString("n"), Fields = new Dictionary<string, string> { ["document"] = "doc-risk", ["page"] = "1" },
        }]);
        string when = DateTimeOffset.FromUnixTimeMilliseconds(at).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        IPage page = await SignInAsync(world.Keeper);
        await page.GotoAsync("/Keeper/Risk");
        ILocator row = page.GetByTestId("risk-row").Filter(new() { HasText = world.SealName });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("risk-reason")).ToHaveTextAsync($"{when} 盖章，不在工作时间（工作日 08:00–18:00）内");
        await Expect(row).ToContainTextAsync("非工作时间");
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.GetByTestId("risk-row").Filter(new() { HasText = world.SealName }).GetByTestId("risk-reason"))
            .ToHaveTextAsync($"stamped at {when}, outside working hours (working days 08:00–18:00)");
    }
}
