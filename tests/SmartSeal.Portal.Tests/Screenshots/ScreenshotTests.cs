using Microsoft.Playwright;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Screenshots;

/// <summary>
/// Pictures of the main pages in both languages (desktop, and the inbox on a phone), written to
/// <c>$SMARTSEAL_PORTAL_SCREENSHOTS</c> or, by default, <c>screenshots/</c> beside the test
/// assembly. The portal README embeds the ones committed under cloud/SmartSeal.Cloud/Portal/screenshots.
/// </summary>
public sealed class ScreenshotTests(PortalFixture fixture) : PortalTest(fixture)
{
    public const string FolderVariable = "SMARTSEAL_PORTAL_SCREENSHOTS";

    private static readonly string Folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task The_main_pages_are_captured_in_Chinese_and_English()
    {
        Directory.CreateDirectory(Folder);
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string applicationId = await world.ApplyAsync(Org, "签订年度采购合同", "urgent");
        await world.ApplyAsync(Org, "提交投标文件");
        string deviceId = "lock-" + Guid.NewGuid().ToString("n")[..4];
        byte[] key = await Fixture.Cloud.ProvisionAsync(deviceId);
        await using DeviceClient device = await DeviceClient.ConnectAsync(Fixture.Cloud.MqttPort, deviceId, key);
        await device.ReportOnlineAsync();
        await Fixture.Cloud.Service<AlarmService>().RaiseAsync(deviceId, AlarmTypes.Tamper, 0, "外壳被打开");

        var shots = new List<string>();
        foreach (string language in new[] { "zh", "en" })
        {
            IPage applicant = await SignInAsync(world.Applicant);
            await SwitchAsync(applicant, language);
            shots.Add(await ShotAsync(applicant, "/Applications/New", $"apply-{language}"));
            shots.Add(await ShotAsync(applicant, $"/Applications/Detail/{applicationId}", $"application-{language}"));

            IPage head = await SignInAsync(world.Head);
            await SwitchAsync(head, language);
            shots.Add(await ShotAsync(head, "/Approvals", $"inbox-{language}"));

            IPage keeper = await SignInAsync(world.Keeper);
            await SwitchAsync(keeper, language);
            shots.Add(await ShotAsync(keeper, "/Devices", $"devices-{language}"));
            shots.Add(await ShotAsync(keeper, "/Alarms", $"alarms-{language}"));
        }

        IPage phone = await SignInAsync(world.Head, viewport: new ViewportSize { Width = 390, Height = 844 }, phone: true);
        shots.Add(await ShotAsync(phone, "/Approvals", "inbox-phone-zh"));

        foreach (string file in shots)
        {
            byte[] bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes");
            Assert.Equal([0xFF, 0xD8], bytes[..2]); // JPEG
        }
    }

    private static async Task SwitchAsync(IPage page, string language)
    {
        if (language == "en")
        {
            await page.GetByTestId("language-switch").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        }
    }

    private static async Task<string> ShotAsync(IPage page, string path, string name)
    {
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 }).ContinueWith(_ => { }); // live pages never go idle
        string file = Path.Combine(Folder, name + ".jpg");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true, Type = ScreenshotType.Jpeg, Quality = 70 });
        return file;
    }
}
