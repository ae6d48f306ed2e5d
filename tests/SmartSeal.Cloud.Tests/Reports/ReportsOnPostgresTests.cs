using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>Every query of the reports area once on PostgreSQL: scoped search, exports, quarterly report, charts, board, retention.</summary>
public sealed class ReportsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_scoped_search_exports_reports_board_and_retention_work_as_on_SQLite()
    {
        if (Cloud is null)
        {
            return;
        }

        ReportsWorld w = await ReportsWorld.CreateAsync(Cloud);
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);
        HttpClient zjKeeper = await w.SignInAsync(w.ZjKeeper);

        JsonElement stamps = await auditor.GetFromJsonAsync<JsonElement>($"/api/ledger?unit={w.Gd}&person={w.Applicant}&kind=stamp");
        Assert.Equal(2, stamps.GetArrayLength());
        Assert.Equal(0, (await zjKeeper.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={w.GdSeal}")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await zjKeeper.GetAsync($"/api/ledger/{w.Stamps[0].Id}")).StatusCode);

        string csv = await auditor.GetStringAsync($"/api/ledger/export.csv?seal={w.GdSeal}&kind=stamp");
        List<string[]> rows = CsvText.Parse(csv.TrimStart('\uFEFF'));
        Assert.Equal(3, rows.Count);
        Assert.Equal("深圳市分公司", rows[1][6]);
        Assert.Equal(w.Stamps[0].Hash, rows[1][^1]);
        using (UglyToad.PdfPig.PdfDocument pdf = UglyToad.PdfPig.PdfDocument.Open(await auditor.GetByteArrayAsync($"/api/ledger/export.pdf?seal={w.GdSeal}")))
        {
            Assert.Equal(2, pdf.GetPages().SelectMany(p => p.GetImages()).Count());
        }

        ReportClock clock = Cloud.Service<ReportClock>();
        DateTimeOffset local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, clock.Zone);
        JsonElement report = await auditor.GetFromJsonAsync<JsonElement>($"/api/reports/quarterly?year={local.Year}&quarter={(local.Month - 1) / 3 + 1}");
        Assert.Equal((2, 1), (report.GetProperty("uses").GetInt32(), report.GetProperty("refusals").GetInt32()));
        Assert.Equal(1, report.GetProperty("leadTimes").GetProperty("decided").GetInt32());
        Assert.True(report.GetProperty("verification").GetProperty("intact").GetBoolean());
        Assert.Equal(1, (await auditor.GetFromJsonAsync<JsonElement>("/api/reports/charts/incidents")).GetProperty("refusals")[11].GetInt32());
        Assert.Equal(1, (await auditor.GetFromJsonAsync<JsonElement>("/api/reports/charts/lead-times")).GetProperty("leadTimes")[11].GetProperty("decided").GetInt32());

        JsonElement board = await zjKeeper.GetFromJsonAsync<JsonElement>("/api/seals/board");
        Assert.Equal([w.ZjSeal], board.EnumerateArray().Select(l => l.GetProperty("sealId").GetString()));

        await Assert.ThrowsAsync<RetentionViolationException>(() => Cloud.Service<IPhotoStore>().DeleteAsync(w.PhotoHashes[0], PhotoVariant.Original, default));
    }
}
