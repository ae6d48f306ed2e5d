using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using UglyToad.PdfPig;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>The quarterly audit report (JSON and PDF) and the monthly chart series, counted within the caller's provinces.</summary>
public class QuarterlyReportTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    private async Task<string> AlarmedDeviceAsync(string unit, string type)
    {
        string id = OrgWorld.Unique("lock");
        Assert.Equal(ProvisionStatus.Ok, (await _cloud.Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(id, DeviceKind.Lock, OrgUnit: unit))).Status);
        await _cloud.Service<AlarmService>().RaiseAsync(id, type, 0, "test");
        return id;
    }

    private (int Year, int Quarter) Now()
    {
        ReportClock clock = _cloud.Service<ReportClock>();
        DateTimeOffset local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, clock.Zone);
        return (local.Year, (local.Month - 1) / 3 + 1);
    }

    [Fact]
    public async Task The_quarter_counts_uses_refusals_alarms_and_lead_times_of_the_auditors_province_only()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        await AlarmedDeviceAsync(w.Gd, AlarmTypes.Tamper);
        await AlarmedDeviceAsync(w.Zj, AlarmTypes.Tamper);
        (int year, int quarter) = Now();
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);

        JsonElement report = await auditor.GetFromJsonAsync<JsonElement>($"/api/reports/quarterly?year={year}&quarter={quarter}");
        JsonElement seal = report.GetProperty("seals").EnumerateArray().Single(s => s.GetProperty("sealId").GetString() == w.GdSeal);
        Assert.Equal((2, 2, 0, 1, 1, 0), (seal.GetProperty("uses").GetInt32(), seal.GetProperty("stamps").GetInt32(), seal.GetProperty("dispenses").GetInt32(),
            seal.GetProperty("refusals").GetInt32(), seal.GetProperty("applicationsApproved").GetInt32(), seal.GetProperty("previousUses").GetInt32()));
        Assert.DoesNotContain(report.GetProperty("seals").EnumerateArray(), s => s.GetProperty("sealId").GetString() == w.ZjSeal);
        Assert.Equal((2, 1, 0), (report.GetProperty("uses").GetInt32(), report.GetProperty("refusals").GetInt32(), report.GetProperty("previousUses").GetInt32()));
        Assert.Equal("outside-geofence", report.GetProperty("refusalsByReason").EnumerateArray().Single().GetProperty("name").GetString());
        JsonElement alarms = report.GetProperty("alarmsByType").EnumerateArray().Single();
        Assert.Equal(("tamper", 1), (alarms.GetProperty("name").GetString(), alarms.GetProperty("count").GetInt32()));
        JsonElement lead = report.GetProperty("leadTimes");
        Assert.Equal((1, 1, 0), (lead.GetProperty("decided").GetInt32(), lead.GetProperty("approved").GetInt32(), lead.GetProperty("rejected").GetInt32()));
        Assert.True(lead.GetProperty("medianMs").GetInt64() >= 0);
        Assert.Equal(0, report.GetProperty("previousLeadTimes").GetProperty("decided").GetInt32());
        Assert.True(report.GetProperty("verification").GetProperty("intact").GetBoolean());

        // The 浙江 keeper's report of the same quarter: its own seal, the dispense, its own alarm.
        JsonElement zj = await (await w.SignInAsync(w.ZjKeeper)).GetFromJsonAsync<JsonElement>($"/api/reports/quarterly?year={year}&quarter={quarter}");
        Assert.Equal([w.ZjSeal], zj.GetProperty("seals").EnumerateArray().Select(s => s.GetProperty("sealId").GetString()));
        Assert.Equal((1, 0, 1), (zj.GetProperty("uses").GetInt32(), zj.GetProperty("refusals").GetInt32(), zj.GetProperty("alarms").GetInt32()));

        // The PDF carries the same numbers, in Chinese and English.
        HttpResponseMessage pdf = await auditor.GetAsync($"/api/reports/quarterly.pdf?year={year}&quarter={quarter}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using PdfDocument document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        string text = string.Concat(document.GetPages().Select(p => p.Text));
        Assert.Contains("用印审计季报", text, StringComparison.Ordinal);
        Assert.Contains("合同专用章", text, StringComparison.Ordinal);
        Assert.Contains("outside-geofence", text, StringComparison.Ordinal);
        Assert.Contains("tamper", text, StringComparison.Ordinal);
        Assert.Contains("完整", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_series_have_every_month_of_the_period_and_this_months_counts()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        await AlarmedDeviceAsync(w.Gd, AlarmTypes.LowBattery);
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);

        JsonElement uses = await auditor.GetFromJsonAsync<JsonElement>("/api/reports/charts/uses");
        string[] months = uses.GetProperty("months").EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(12, months.Length);
        Assert.Equal(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _cloud.Service<ReportClock>().Zone).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), months[^1]);
        int[] gd = uses.GetProperty("seals").EnumerateArray().Single(s => s.GetProperty("sealId").GetString() == w.GdSeal).GetProperty("values").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal([.. Enumerable.Repeat(0, 11), 2], gd);

        JsonElement incidents = await auditor.GetFromJsonAsync<JsonElement>("/api/reports/charts/incidents");
        Assert.Equal(1, incidents.GetProperty("refusals")[11].GetInt32());
        Assert.Equal(1, incidents.GetProperty("alarms")[11].GetInt32());
        Assert.Equal("low-battery", incidents.GetProperty("alarmsByType").EnumerateArray().Single().GetProperty("name").GetString());

        JsonElement lead = await auditor.GetFromJsonAsync<JsonElement>("/api/reports/charts/lead-times");
        Assert.Equal(1, lead.GetProperty("leadTimes")[11].GetProperty("decided").GetInt32());
        Assert.Equal(0, lead.GetProperty("leadTimes")[0].GetProperty("decided").GetInt32());

        await OrgWorld.AssertProblemAsync(await auditor.GetAsync("/api/reports/charts/uses?from=10&to=5"), HttpStatusCode.BadRequest, "period");
        await OrgWorld.AssertProblemAsync(await auditor.GetAsync("/api/reports/quarterly?year=2026&quarter=5"), HttpStatusCode.BadRequest, "quarter");
    }
}
