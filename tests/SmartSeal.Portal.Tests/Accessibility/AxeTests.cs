using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Accessibility;

/// <summary>
/// Every main page through axe-core (Deque's engine, the one browser accessibility audits use):
/// no violation of any impact — labels, names, landmarks, contrast, ARIA use. Chinese, the
/// longest pages in English too, and the inbox on a phone. While it is there it captures the
/// pages the portal README shows, into <c>$SMARTSEAL_PORTAL_SCREENSHOTS</c> (default:
/// <c>screenshots/</c> beside the test assembly).
/// </summary>
public sealed class AxeTests(PortalFixture fixture) : PortalTest(fixture)
{
    public const string ScreenshotsVariable = "SMARTSEAL_PORTAL_SCREENSHOTS";

    /// <summary>Where the screenshots go: <c>$SMARTSEAL_PORTAL_SCREENSHOTS</c>, else <c>screenshots/</c> beside the test assembly.</summary>
    public static readonly string ScreenshotFolder = Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly List<string> _problems = [];
    private readonly List<string> _screenshots = [];

    [Fact]
    public async Task The_main_pages_have_no_accessibility_violations()
    {
        Directory.CreateDirectory(ScreenshotFolder);
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string applicationId = await world.ApplyAsync(Org, "签订年度采购合同", "urgent");
        await world.ApplyAsync(Org, "提交投标文件");
        string deviceId = "lock-" + Guid.NewGuid().ToString("n")[..4];
        byte[] key = await Fixture.Cloud.ProvisionAsync(deviceId, orgUnit: world.Province);
        await using DeviceClient device = await DeviceClient.ConnectAsync(Fixture.Cloud.MqttPort, deviceId, key);
        await device.ReportOnlineAsync();
        await Fixture.Cloud.Service<AlarmService>().RaiseAsync(deviceId, AlarmTypes.Tamper, 0, "外壳被打开");

        await AuditAsync(await Fixture.NewPageAsync(), "/Account/SignIn");
        IPage applicant = await SignInAsync(world.Applicant);
        IPage head = await SignInAsync(world.Head);
        IPage keeper = await SignInAsync(world.Keeper);
        IPage auditor = await SignInAsync(world.Auditor);
        await AuditAsync(applicant, "/");
        await AuditAsync(applicant, "/Applications");
        await AuditAsync(head, $"/Applications/Detail/{applicationId}");
        await AuditAsync(keeper, $"/Devices/Detail/{deviceId}");
        await AuditAsync(keeper, "/Seals");
        await AuditAsync(keeper, "/Map");
        await AuditAsync(keeper, $"/Map?device={deviceId}");
        await AuditAsync(auditor, $"/Ledger?seal={world.SealId}&verify=true");

        // The pages of the board, the keeper desk, the reports and the map replay (with something on them).
        string lockApplication = await world.ApprovedLockApplicationAsync(Org);
        foreach ((double lat, double lon) in new[] { (22.5400, 114.0600), (22.5406, 114.0607), (22.5411, 114.0613) })
        {
            long before = Fixture.Cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;
            await device.SendAsync(new SmartSeal.Protocol.Messages.PositionBody
            {
                Fix = new SmartSeal.Protocol.Messages.GeoFix { TimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LatE7 = (int)(lat * 1e7), LonE7 = (int)(lon * 1e7), AccuracyCm = 500, Satellites = 9, Quality = 1 },
            });
            await Fixture.Cloud.WaitForIngestAsync(before + 1);
        }

        HttpClient keeperApi = await Org.SignInAsync(world.Keeper);
        string sealUnit = (await keeperApi.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/seals/{world.SealId}")).GetProperty("unitId").GetString()!;
        HttpResponseMessage started = await keeperApi.PostAsJsonAsync("/api/inventory-checks", new { unitId = sealUnit });
        long check = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        await AuditAsync(keeper, $"/Keeper/Inventory?id={check}");
        await AuditAsync(keeper, $"/Keeper/Faces?login={world.Applicant}");
        await AuditAsync(auditor, "/Reports/Exports");
        foreach (string language in new[] { "zh", "en" })
        {
            if (language == "en")
            {
                foreach (IPage page in new[] { keeper, auditor })
                {
                    await page.GetByTestId("language-switch").ClickAsync();
                    await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
                }
            }

            await AuditAsync(keeper, "/Board", $"board-{language}");
            await AuditAsync(keeper, "/Keeper", $"keeper-{language}");
            await AuditAsync(keeper, $"/Map?device={deviceId}", $"replay-{language}");
            await AuditAsync(auditor, "/Reports/Quarterly", $"quarterly-{language}");
            await AuditAsync(auditor, "/Reports/Charts", $"charts-{language}");
        }

        Assert.False(string.IsNullOrEmpty(lockApplication));
        foreach (IPage page in new[] { keeper, auditor })
        {
            await page.GetByTestId("language-switch").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }
        foreach (string language in new[] { "zh", "en" })
        {
            if (language == "en")
            {
                foreach (IPage page in new[] { applicant, head, keeper })
                {
                    await page.GetByTestId("language-switch").ClickAsync();
                    await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
                }
            }

            await AuditAsync(applicant, "/Applications/New", $"apply-{language}");
            await AuditAsync(applicant, $"/Applications/Detail/{applicationId}", $"application-{language}");
            await AuditAsync(head, "/Approvals", $"inbox-{language}");
            await AuditAsync(keeper, "/Devices", $"devices-{language}");
            await AuditAsync(keeper, "/Alarms", $"alarms-{language}");
        }

        await AuditAsync(await SignInAsync(world.Head, viewport: new ViewportSize { Width = 390, Height = 844 }, phone: true), "/Approvals", "inbox-phone-zh");

        Assert.True(_problems.Count == 0, "axe found:\n" + string.Join("\n", _problems.Distinct()));
        foreach (string file in _screenshots)
        {
            byte[] bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes");
            Assert.Equal([0xFF, 0xD8], bytes[..2]); // JPEG
        }
    }

    private async Task AuditAsync(IPage page, string path, string? screenshot = null)
    {
        await page.GotoAsync(path);
        AxeResult result = await page.RunAxe();
        foreach (AxeResultItem violation in result.Violations)
        {
            string where = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html.Length > 120 ? n.Html[..120] : n.Html));
            _problems.Add($"{path} [{violation.Impact}] {violation.Id}: {violation.Help} — {where}");
        }

        if (screenshot is not null)
        {
            string file = Path.Combine(ScreenshotFolder, screenshot + ".jpg");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true, Type = ScreenshotType.Jpeg, Quality = 70 });
            _screenshots.Add(file);
        }
    }
}
