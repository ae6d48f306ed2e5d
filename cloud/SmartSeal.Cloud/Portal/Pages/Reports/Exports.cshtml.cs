using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal.Pages.Reports;

/// <summary>
/// Ledger exports (CSV for Excel, PDF with photo thumbnails) with the search filters. The portal
/// cookie opens no <c>/api</c>, so the download handlers here run the same export as
/// <c>/api/ledger/export.csv|pdf</c> with the signed-in user's read scope
/// (<see cref="LedgerAudience"/>): an auditor gets exactly what the API would give them.
/// </summary>
public sealed class ExportsModel(LedgerExports exports, PortalClock clock, IStringLocalizer<PortalText> text) : LedgerSearchPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Device { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnGetCsv()
    {
        if (Filter() is not { } filter)
        {
            return Page();
        }

        LedgerAudience scope = LedgerAudience.Of(User);
        return new FileCallbackResult("text/csv; charset=utf-8", FileName("csv"), (stream, ct) => exports.WriteCsvAsync(scope, filter, stream, ct));
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        if (Filter() is not { } filter)
        {
            return Page();
        }

        using var buffer = new MemoryStream();
        try
        {
            await exports.WritePdfAsync(LedgerAudience.Of(User), filter, buffer, cancellationToken);
        }
        catch (ExportTooLargeException e)
        {
            Error = text["Exports.TooLarge", e.Message];
            return Page();
        }
        catch (PdfFontMissingException)
        {
            Error = text["Exports.FontMissing"];
            return Page();
        }

        return File(buffer.ToArray(), "application/pdf", FileName("pdf"));
    }

    private LedgerFilter? Filter()
    {
        (long? fromMs, long? toMs) = clock.ParseDays(From, To);
        var filter = new LedgerFilter(Blank(Seal), Blank(Unit), Blank(Person), Blank(Device), Blank(Application), Blank(Kind), fromMs, toMs);
        if (filter.Problems().Count > 0)
        {
            Error = text["Exports.BadPeriod"];
            return null;
        }

        return filter;
    }

    private string FileName(string extension) =>
        $"smartseal-ledger-{clock.Local(clock.NowMs).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.{extension}";
}
