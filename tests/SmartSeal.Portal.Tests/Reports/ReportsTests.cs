using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Reports;

/// <summary>The auditor's reports: the quarterly report on screen and as PDF, the charts, and the PDF ledger export.</summary>
public sealed class ReportsTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_quarterly_report_shows_the_auditors_seals_and_downloads_as_pdf()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "审计报表" }).ClickAsync();
        await auditor.GetByRole(AriaRole.Navigation, new() { Name = "审计报表" }).GetByRole(AriaRole.Link, new() { Name = "季度审计报告" }).ClickAsync();

        // The current quarter: the seal is listed and the chain verifies.
        DateTimeOffset now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await auditor.GetByLabel("年份", new() { Exact = true }).FillAsync(now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await auditor.GetByLabel("季度", new() { Exact = true }).SelectOptionAsync(((now.Month - 1) / 3 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await auditor.GetByRole(AriaRole.Button, new() { Name = "显示" }).ClickAsync();
        await Expect(auditor.GetByTestId("quarterly-seals")).ToContainTextAsync(world.SealId);
        await Expect(auditor.GetByTestId("report-verification")).ToContainTextAsync("完整");
        await Expect(auditor.GetByLabel("季度", new() { Exact = true }).Locator("option").First).ToHaveTextAsync("Q1");

        IDownload pdf = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Button, new() { Name = "下载 PDF" }).ClickAsync());
        byte[] bytes = await File.ReadAllBytesAsync(await pdf.PathAsync());
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        Assert.StartsWith("smartseal-audit-", pdf.SuggestedFilename, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_charts_draw_this_months_application_and_list_the_numbers()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        await world.ApplyAsync(Org, "图表数据");
        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GotoAsync("/Reports/Charts?months=3");

        foreach (string chart in new[] { "chart-uses", "chart-incidents", "chart-lead" })
        {
            await Expect(auditor.GetByTestId(chart)).ToBeVisibleAsync();
            await Expect(auditor.GetByTestId(chart)).ToHaveAttributeAsync("role", "img");
        }

        // Three months on the axis; the numbers table behind the disclosure has a column per month.
        await Expect(auditor.GetByTestId("chart-uses").Locator("text[text-anchor='middle']")).ToHaveCountAsync(3);
        await auditor.GetByText("查看数据").First.ClickAsync();
        await Expect(auditor.GetByTestId("uses-numbers").Locator("thead th")).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task The_ledger_exports_as_pdf_and_an_impossible_period_is_refused()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        await world.ApplyAsync(Org, "导出 PDF");
        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GotoAsync("/Reports/Exports");
        await auditor.GetByLabel("印章", new() { Exact = true }).FillAsync(world.SealId);
        IDownload pdf = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Button, new() { Name = "下载 PDF" }).ClickAsync());
        Assert.Equal("%PDF"u8.ToArray(), (await File.ReadAllBytesAsync(await pdf.PathAsync()))[..4]);

        await auditor.GetByLabel("起始日期").FillAsync("2026-03-02");
        await auditor.GetByLabel("截止日期").FillAsync("2026-03-01");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "下载 CSV" }).ClickAsync();
        await Expect(auditor.GetByTestId("export-error")).ToHaveTextAsync("结束日期不能早于开始日期。");
    }
}
