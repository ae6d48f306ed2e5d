using System.Buffers.Binary;
using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Accessibility;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Screenshots;

/// <summary>
/// One screenshot per role's main page (applicant, approver, keeper, auditor) at 1280×800, PNG, with
/// something on each page, for the portal README (issue 18). Written to <c>$SMARTSEAL_PORTAL_SCREENSHOTS</c>
/// like <see cref="AxeTests"/>; the test checks each file is a real picture of that size and the page it shows.
/// </summary>
public sealed class RoleScreenshotTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly ViewportSize Screen = new() { Width = 1280, Height = 800 };

    [Fact]
    public async Task Each_roles_main_page_is_captured_as_a_1280x800_png()
    {
        Directory.CreateDirectory(AxeTests.ScreenshotFolder);
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        await world.ApplyAsync(Org, "签订年度采购合同", "urgent");
        await world.ApplyAsync(Org, "提交投标文件");
        await world.ApprovedLockApplicationAsync(Org);

        var shots = new (string Role, string Login, string Path, string Heading)[]
        {
            ("applicant", world.Applicant, "/Applications", "我的申请"),
            ("approver", world.Head, "/Approvals", "待我审批"),
            ("keeper", world.Keeper, "/Keeper", "保管员工作台"),
            ("auditor", world.Auditor, $"/Ledger?seal={world.SealId}&verify=true", "用印台账"),
        };
        foreach ((string role, string login, string path, string heading) in shots)
        {
            IPage page = await SignInAsync(login, viewport: Screen);
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
            string file = Path.Combine(AxeTests.ScreenshotFolder, $"role-{role}.png");
            await page.ScreenshotAsync(new() { Path = file, Type = ScreenshotType.Png });

            byte[] png = await File.ReadAllBytesAsync(file);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4))); // IHDR width
            Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4))); // IHDR height
            Assert.True(png.Length > 20_000, $"{file} is only {png.Length} bytes: an empty page?");
        }
    }
}
