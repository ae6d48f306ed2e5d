using System.Net;
using System.Text;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>The ledger exported as CSV (read back field by field) and as PDF (read back with PdfPig: text, Chinese, embedded photos).</summary>
public class LedgerExportTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task The_csv_export_starts_with_a_bom_and_carries_every_field_the_rules_ask_for()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);
        HttpResponseMessage response = await auditor.GetAsync($"/api/ledger/export.csv?seal={w.GdSeal}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);

        List<string[]> rows = CsvText.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(LedgerCsvWriter.Header, rows[0]);
        Dictionary<string, string> Row(long entryId)
        {
            string[] values = rows.Single(r => r[0] == entryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(LedgerCsvWriter.Header.Length, values.Length);
            return LedgerCsvWriter.Header.Zip(values).ToDictionary(p => p.First[(p.First.IndexOf(' ', StringComparison.Ordinal) + 1)..], p => p.Second);
        }

        Dictionary<string, string> stamp = Row(w.Stamps[0].Id);
        Assert.Equal(w.GdSeal, stamp["seal id"]);
        Assert.Equal("合同专用章", stamp["seal"]);
        Assert.Equal("stamp", stamp["kind"]);
        Assert.Equal("用户 " + w.Applicant, stamp["applicant"]);
        Assert.Equal("深圳市分公司", stamp["unit"]);
        Assert.Equal("印章管理员", stamp["post"]);
        Assert.Equal("采购合同.pdf (12 p)", stamp["documents"]);
        Assert.Equal("签订采购合同", stamp["purpose"]);
        Assert.Equal("1", stamp["copies"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$", stamp["applied"]);
        Assert.NotEqual("", stamp["approved"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(w.Stamps[0].AtMs), DateTimeOffset.Parse(stamp["executed"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"用户 {w.Head} · 深圳市分公司 · 印章管理员; 用户 {w.Owner} · 广东省分公司 · 印章管理员", stamp["approvers"]); // name · unit · post
        Assert.Equal($"用户 {w.Applicant} · 深圳市分公司 · 印章管理员", stamp["executor"]);
        Assert.Equal(w.Device, stamp["device"]);
        Assert.Equal("22.5431,114.0579", stamp["location"]);
        Assert.Equal(w.PhotoHashes[0], stamp["photos"]);
        Assert.Equal(w.ApplicationId, stamp["application"]);
        Assert.Contains("note=" + ReportsWorld.Awkward, stamp["details"], StringComparison.Ordinal); // comma, quotes and a line break survive the round trip
        Assert.Equal(w.Stamps[0].Hash, stamp["hash"]);

        Assert.Contains("reason=outside-geofence", Row(w.Refusal.Id)["details"], StringComparison.Ordinal);
        Assert.Equal(["refusal", "stamp", "stamp"], rows.Skip(1).Select(r => r[4]).Where(k => k is "stamp" or "refusal").Reverse());
        Assert.True(rows.Skip(1).Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).SequenceEqual(rows.Skip(1).Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).Order()), "oldest first");
    }

    [Fact]
    public async Task Facts_recorded_in_the_entry_are_printed_rather_than_todays_register()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        long at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var recorded = (await _cloud.Service<SmartSeal.Cloud.Ledger.LedgerService>().AppendAsync([new SmartSeal.Cloud.Ledger.LedgerEntry
        {
            SealId = w.GdSeal, Kind = "stamp", AtMs = at, DeviceId = w.Device, Actor = w.Applicant, ApplicationId = w.ApplicationId,
            Fields = new Dictionary<string, string>
            {
                // as Checkouts/UseFacts writes them at the moment of use (the hash covers them)
                ["applicantName"] = "王五", ["applicantUnit"] = "旧单位", ["applicantPost"] = "旧职务", ["purpose"] = "记录时用途", ["documents"] = "旧合同.pdf (3 p)",
                ["copies"] = "7", ["appliedMs"] = "1700000000000", ["approvedMs"] = "1700000600000", ["approvers"] = $"{w.Owner},{w.Head}", ["executedMs"] = at.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["attempt"] = "att-1",
            },
        }]))[0];

        List<string[]> rows = CsvText.Parse((await w.Org.Admin.GetStringAsync($"/api/ledger/export.csv?seal={w.GdSeal}&from={at}")).TrimStart('\uFEFF'));
        string[] row = rows.Single(r => r[0] == recorded.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["王五", "旧单位", "旧职务", "旧合同.pdf (3 p)", "记录时用途", "7"], row[5..11]);
        Assert.StartsWith("2023-11-15T06:13:20.000+08:00", row[11], StringComparison.Ordinal);
        Assert.Equal($"用户 {w.Owner} · 广东省分公司 · 印章管理员; 用户 {w.Head} · 深圳市分公司 · 印章管理员", row[14]);
        Assert.Equal("attempt=att-1", row[20]); // the columns' facts are not repeated in the details
    }

    [Fact]
    public void Csv_fields_that_a_spreadsheet_would_run_as_formulas_are_defused()
    {
        Assert.Equal("'=HYPERLINK(1)", LedgerCsvWriter.Quote("=HYPERLINK(1)"));
        Assert.Equal("\"'+1,2\"", LedgerCsvWriter.Quote("+1,2"));
        Assert.Equal("合同", LedgerCsvWriter.Quote("合同"));
    }

    [Fact]
    public async Task The_pdf_export_prints_chinese_text_and_embeds_the_entries_photos()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);
        HttpResponseMessage response = await auditor.GetAsync($"/api/ledger/export.pdf?seal={w.GdSeal}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        byte[] pdf = await response.Content.ReadAsByteArrayAsync();

        using PdfDocument document = PdfDocument.Open(pdf);
        string text = string.Concat(document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(word => word.Text))));
        string letters = string.Concat(document.GetPages().Select(p => p.Text));
        Assert.Contains("用印台账", letters, StringComparison.Ordinal);
        Assert.Contains("签订采购合同", letters, StringComparison.Ordinal);
        Assert.Contains("深圳市分公司", letters, StringComparison.Ordinal);
        string compact = letters.Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("北京时间", compact, StringComparison.Ordinal); // the zone in words, times as local date-times, kinds in words
        Assert.Contains(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(w.Stamps[0].AtMs), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("盖章", compact, StringComparison.Ordinal);
        Assert.Contains("用户" + w.Applicant, letters.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(w.Stamps[0].Hash, text, StringComparison.Ordinal);
        Assert.Contains(w.Device, text, StringComparison.Ordinal);

        // Both stamps' photos are embedded once each, as the thumbnails (320 px wide) of the originals.
        List<IPdfImage> images = document.GetPages().SelectMany(p => p.GetImages()).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, i => Assert.Equal(320, i.WidthInSamples));
    }

    [Fact]
    public async Task Bad_periods_are_validation_problems_and_an_empty_selection_is_a_pdf_saying_so()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        await OrgWorld.AssertProblemAsync(await w.Org.Admin.GetAsync("/api/ledger/export.csv?from=100&to=1"), HttpStatusCode.BadRequest, "must not be before from");
        await OrgWorld.AssertProblemAsync(await w.Org.Admin.GetAsync("/api/ledger/export.pdf?from=-5"), HttpStatusCode.BadRequest, "negative");

        // An empty selection is still a valid document saying so.
        using PdfDocument empty = PdfDocument.Open(await w.Org.Admin.GetByteArrayAsync("/api/ledger/export.pdf?seal=no-such-seal"));
        Assert.Contains("No entries match", string.Concat(empty.GetPages().Select(p => string.Join(" ", p.GetWords().Select(x => x.Text)))), StringComparison.Ordinal);
    }
}
