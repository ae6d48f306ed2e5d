using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal.Pages.Reports;

/// <summary>
/// The quarterly audit report (<see cref="QuarterlyReports"/>) of the auditor's units, on screen
/// and as the same PDF as <c>/api/reports/quarterly.pdf</c>. Without a choice: the last complete quarter.
/// </summary>
public sealed class QuarterlyModel(QuarterlyReports reports, ReportClock reportClock, IOptions<ReportsOptions> options, IStringLocalizer<PortalText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Quarter { get; set; }

    public QuarterlyReport? Report { get; private set; }

    public string? Error { get; private set; }

    public int CurrentYear { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Choose())
        {
            Report = await reports.BuildAsync(LedgerAudience.Of(User), Year!.Value, Quarter!.Value, cancellationToken);
        }
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        if (!Choose())
        {
            return Page();
        }

        QuarterlyReport report = await reports.BuildAsync(LedgerAudience.Of(User), Year!.Value, Quarter!.Value, cancellationToken);
        using var buffer = new MemoryStream();
        try
        {
            QuarterlyReportPdf.Write(report, reportClock, options.Value.FontPath, buffer);
        }
        catch (PdfFontMissingException)
        {
            Error = text["Exports.FontMissing"];
            Report = report;
            return Page();
        }

        return File(buffer.ToArray(), "application/pdf", $"smartseal-audit-{Year}-q{Quarter}.pdf");
    }

    /// <summary>Fills in the last complete quarter when nothing was chosen; false (with the error) for an impossible one.</summary>
    private bool Choose()
    {
        DateTimeOffset now = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(reportClock.NowMs), reportClock.Zone);
        CurrentYear = now.Year;
        int current = (now.Month - 1) / 3 + 1;
        Year ??= current == 1 ? now.Year - 1 : now.Year;
        Quarter ??= current == 1 ? 4 : current - 1;
        if (QuarterlyReports.Problems(Year.Value, Quarter.Value).Count > 0)
        {
            Error = text["Quarterly.Invalid"];
            return false;
        }

        return true;
    }

    /// <summary>"3 h 20 min" / "—".</summary>
    public static string Duration(long? ms) => ms is not { } value ? "—"
        : value < 3_600_000 ? $"{value / 60_000} min"
        : $"{value / 3_600_000} h {value % 3_600_000 / 60_000} min";
}
