using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Ledger;

/// <summary>An auditor searches the ledger and verifies the hash chain in the browser.</summary>
public sealed class LedgerTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_auditor_finds_a_seals_entries_and_sees_the_chain_verified_intact()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string purpose = "台账查询 " + Guid.NewGuid().ToString("n")[..6];
        string applicationId = await world.ApplyAsync(Org, purpose);

        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "用印台账" }).ClickAsync();
        await auditor.GetByLabel("印章", new() { Exact = true }).FillAsync(world.SealId);
        await auditor.GetByLabel("类别").SelectOptionAsync(new SelectOptionValue { Label = "申请" }); // kinds in words, not codes
        await auditor.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();

        ILocator rows = auditor.GetByTestId("ledger").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("操作：提交申请");
        await Expect(rows.First).ToContainTextAsync(world.SealName);
        await Expect(rows.First).Not.ToContainTextAsync("decision");
        await Expect(rows.First.GetByRole(AriaRole.Link, new() { Name = applicationId })).ToBeVisibleAsync();

        await auditor.GetByRole(AriaRole.Button, new() { Name = "校验哈希链" }).ClickAsync();
        await Expect(auditor.GetByTestId("verification")).ToHaveAttributeAsync("data-intact", "true");
        await Expect(auditor.GetByTestId("verification")).ToContainTextAsync("未发现篡改");
    }
}
