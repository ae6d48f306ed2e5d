using System.Globalization;
using Microsoft.Playwright;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Audits;

/// <summary>
/// An audit in Chromium, as the auditor and the unit's keeper do it: open (checklist sampled from the
/// ledger), tick a line, record a finding, assign rectification, the keeper answers on their
/// rectifications page, the auditor accepts and closes, and downloads the report as PDF and CSV.
/// </summary>
public sealed class AuditPageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_auditor_opens_an_audit_records_a_finding_the_keeper_answers_and_the_auditor_closes_and_downloads_the_report()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Fixture.Cloud.Service<LedgerService>().AppendAsync([.. Enumerable.Range(1, 3).Select(i => new LedgerEntry
        {
            SealId = world.SealId, Kind = LedgerKinds.Stamp, AtMs = now - i * 60_000, DeviceId = "lock-audit-page", Actor = world.Applicant, ApplicationId = "ap-audit-page",
            TokenId = "tok-audit-page", Source = "audit-page:" + Guid.NewGuid().ToString("n"), Fields = new Dictionary<string, string> { ["document"] = "doc-audit", ["page"] = "1" },
        })]);
        string yesterday = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GetByRole(AriaRole.Link, new() { Name = "审计", Exact = true }).First.ClickAsync();
        await auditor.GetByLabel("审计名称").FillAsync("第四季度用印审计");
        await auditor.GetByLabel("开始日期").FillAsync(yesterday);
        await auditor.GetByRole(AriaRole.Checkbox, new() { Name = "广东省分公司" }).CheckAsync();
        await auditor.GetByRole(AriaRole.Button, new() { Name = "开始审计" }).ClickAsync();
        await Expect(auditor.Locator(".flash")).ToContainTextAsync("检查清单");
        ILocator items = auditor.GetByTestId("item").Filter(new() { HasText = "台账抽查" });
        Assert.InRange(await items.CountAsync(), 3, 10);

        await items.First.GetByRole(AriaRole.Button, new() { Name = "有问题" }).ClickAsync();
        await Expect(auditor.GetByTestId("item").First).ToHaveAttributeAsync("data-outcome", "finding");
        await auditor.GetByLabel("检查项").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await auditor.GetByLabel("严重程度").SelectOptionAsync(new SelectOptionValue { Label = "一般" });
        await auditor.GetByLabel("问题描述").FillAsync("盖章记录缺少经办人签字");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "记录问题" }).ClickAsync();
        ILocator finding = auditor.GetByTestId("finding");
        await Expect(finding).ToHaveAttributeAsync("data-status", "open");
        await Expect(finding).ToContainTextAsync("广东省分公司");
        await finding.GetByRole(AriaRole.Button, new() { Name = "指派整改" }).ClickAsync();
        await Expect(auditor.GetByTestId("finding")).ToHaveAttributeAsync("data-status", "rectifying");
        await auditor.GetByTestId("close-audit").ClickAsync();
        await Expect(auditor.GetByTestId("audit-error")).ToContainTextAsync("rectification still open");

        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GetByRole(AriaRole.Link, new() { Name = "整改" }).ClickAsync();
        ILocator rectification = keeper.GetByTestId("rectification").Filter(new() { HasText = "盖章记录缺少经办人签字" });
        await Expect(rectification).ToContainTextAsync("一般");
        await rectification.GetByLabel("整改答复").FillAsync("已补签并培训经办人");
        await rectification.GetByRole(AriaRole.Button, new() { Name = "提交答复" }).ClickAsync();
        await Expect(keeper.Locator(".flash")).ToHaveTextAsync("答复已提交。");

        await auditor.ReloadAsync();
        await Expect(auditor.GetByTestId("answer")).ToContainTextAsync("已补签并培训经办人");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "通过并关闭" }).ClickAsync();
        await Expect(auditor.GetByTestId("finding")).ToHaveAttributeAsync("data-status", "closed");
        await auditor.GetByTestId("close-audit").ClickAsync();
        await Expect(auditor.GetByTestId("audit")).ToHaveAttributeAsync("data-closed", "true");
        await Expect(auditor.GetByTestId("audit-status")).ToContainTextAsync("关闭");
        await Expect(auditor.GetByTestId("score").Filter(new() { HasText = "广东省分公司" })).ToHaveAttributeAsync("data-score", "95");
        await Expect(auditor.GetByRole(AriaRole.Button, new() { Name = "记录问题" })).ToHaveCountAsync(0);

        IDownload pdf = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("report-pdf").ClickAsync());
        Assert.EndsWith(".pdf", pdf.SuggestedFilename, StringComparison.Ordinal);
        byte[] pdfBytes = await File.ReadAllBytesAsync((await pdf.PathAsync())!);
        Assert.True(pdfBytes.Length > 2000 && "%PDF"u8.SequenceEqual(pdfBytes.AsSpan(0, 4)), $"{pdfBytes.Length} bytes");
        IDownload csv = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("report-csv").ClickAsync());
        string csvText = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.Contains("已补签并培训经办人", csvText, StringComparison.Ordinal);
        Assert.Contains("score,广东省分公司,95", csvText, StringComparison.Ordinal);
    }
}
