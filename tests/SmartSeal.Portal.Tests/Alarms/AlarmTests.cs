using Microsoft.Playwright;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Alarms;

/// <summary>Alarms appear on an open alarms page as they are raised; the keeper acknowledges and clears them.</summary>
public sealed class AlarmTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_raised_alarm_appears_live_and_is_acknowledged_then_cleared()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string deviceId = "lock-alarm-" + Guid.NewGuid().ToString("n")[..6];
        await Fixture.Cloud.ProvisionAsync(deviceId, orgUnit: world.Province); // the keeper's unit: other units' alarms are not theirs

        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Alarms");
        ILocator row = keeper.GetByTestId("alarms").Locator("tr", new() { HasText = deviceId });
        await Expect(row).ToHaveCountAsync(0);
        await Expect(keeper.Locator("html[data-live=open]")).ToHaveCountAsync(1);

        // Raised after the page loaded: it arrives over the event stream.
        AlarmService alarms = Fixture.Cloud.Service<AlarmService>();
        await alarms.RaiseAsync(deviceId, AlarmTypes.Tamper, 0, "外壳被打开");
        await Expect(row).ToContainTextAsync("防拆触发");
        await Expect(row).ToContainTextAsync("未处理");

        await row.GetByRole(AriaRole.Button, new() { Name = "知悉" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync("告警已知悉。");
        await Expect(row).ToContainTextAsync("已知悉（" + world.Keeper + "）");

        await row.GetByRole(AriaRole.Button, new() { Name = "解除" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync("告警已解除。");
        await Expect(row).ToContainTextAsync("已解除");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }
}
