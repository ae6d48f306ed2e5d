using Microsoft.Playwright;
using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Portal.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Portal.Tests.Devices;

/// <summary>Remote disable from the device page: confirmation dialog, then the device's acknowledgement appears live.</summary>
public sealed class RemoteDisableTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Disabling_a_lock_asks_for_confirmation_and_shows_the_devices_acknowledgement_live()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string deviceId = "lock-portal-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await Fixture.Cloud.ProvisionAsync(deviceId, orgUnit: world.Province); // the keeper's unit: other units' devices are not theirs
        await using DeviceClient device = await DeviceClient.ConnectAsync(Fixture.Cloud.MqttPort, deviceId, key);
        await device.ReportOnlineAsync();

        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Devices");
        ILocator row = keeper.GetByTestId("devices").Locator("tr", new() { HasText = deviceId });
        await Expect(row).ToContainTextAsync("在线");
        await row.GetByRole(AriaRole.Link, new() { Name = deviceId }).ClickAsync();

        // The first click only asks; cancelling changes nothing.
        await keeper.GetByRole(AriaRole.Button, new() { Name = "远程停用…" }).ClickAsync();
        ILocator dialog = keeper.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"确认停用 {deviceId}？");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Empty(device.CloudMessages(TopicKind.Commands));

        await keeper.GetByRole(AriaRole.Button, new() { Name = "远程停用…" }).ClickAsync();
        await dialog.GetByLabel("原因").FillAsync("印章锁遗失");
        await dialog.GetByTestId("confirm").ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync("停用指令已发出。");
        await Expect(keeper.GetByTestId("desired-state")).ToContainTextAsync("已停用");
        await Expect(keeper.GetByTestId("acknowledgement")).ToHaveAttributeAsync("data-acknowledged", "false");

        // The device gets the signed set-state, applies it and says so; the page shows it without a reload.
        CloudMessage command = Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.Commands, 1));
        var set = (SetStateBody)command.Body;
        Assert.False(set.Enabled);
        Assert.Equal("印章锁遗失", set.Reason);
        await device.SendAsync(new StateAppliedBody { Version = set.Version, Enabled = false });
        await device.AnswerAsync(command.Envelope.Id, ok: true);

        await Expect(keeper.GetByTestId("acknowledgement")).ToHaveAttributeAsync("data-acknowledged", "true");
        await Expect(keeper.GetByTestId("acknowledgement")).ToContainTextAsync("设备已确认：已停用");
        await Expect(keeper.GetByRole(AriaRole.Button, new() { Name = "重新启用…" })).ToBeVisibleAsync();
        await Expect(keeper.GetByTestId("commands").Locator("[data-command-status]").First).ToHaveTextAsync("设备已执行");
    }
}
