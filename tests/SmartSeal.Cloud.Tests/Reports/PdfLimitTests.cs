using System.Net;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>A PDF export over <c>SmartSeal:Reports:MaxPdfEntries</c> is refused with a problem that says what to do.</summary>
public class PdfLimitTests(PdfLimitTests.SmallPdfCloud cloud) : CloudTest<PdfLimitTests.SmallPdfCloud>(cloud)
{
    private readonly SmallPdfCloud _cloud = cloud;

    [Fact]
    public async Task A_pdf_export_over_the_limit_is_a_422_and_csv_still_exports_everything()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        await OrgWorld.AssertProblemAsync(await w.Org.Admin.GetAsync($"/api/ledger/export.pdf?seal={w.GdSeal}"), HttpStatusCode.UnprocessableEntity, "export CSV");
        Assert.Equal(HttpStatusCode.OK, (await w.Org.Admin.GetAsync($"/api/ledger/export.pdf?seal={w.GdSeal}&kind=stamp")).StatusCode);
        Assert.True(CsvText.Parse((await w.Org.Admin.GetStringAsync($"/api/ledger/export.csv?seal={w.GdSeal}")).TrimStart('\uFEFF')).Count > 4);
    }

    public sealed class SmallPdfCloud : CloudFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["SmartSeal:Reports:MaxPdfEntries"] = "2" };
    }
}
