using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Ledger exports (<c>/api/ledger/export.csv|.pdf</c>), the quarterly audit report and chart data
/// (<c>/api/reports</c>), and the seal attendance board (<c>/api/seals/board</c>). Everything
/// reads within the caller's scope: auditors and keepers their units' subtrees, sysadmins all.
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder exports = app.MapGroup("/api/ledger").WithTags("Ledger").RequireAuthorization(Policies.Auditor);
        exports.MapGet("/export.csv", ExportCsvAsync).WithSummary("The ledger as CSV (UTF-8 with BOM for Excel), oldest first; filters as the search: seal, unit, person, device, application, kind, from, to");
        exports.MapGet("/export.pdf", ExportPdfAsync).WithSummary("The ledger as PDF with the entries' photo thumbnails; 422 over SmartSeal:Reports:MaxPdfEntries");

        RouteGroupBuilder reports = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.Auditor);
        reports.MapGet("/quarterly", QuarterlyAsync).WithSummary("Quarterly audit report: uses per seal, refusals, alarms by type, approval lead times vs the previous quarter, ledger verification");
        reports.MapGet("/quarterly.pdf", QuarterlyPdfAsync).WithSummary("The quarterly audit report as PDF");
        reports.MapGet("/charts/uses", UsesChartAsync).WithSummary("Uses per seal per month (from/to Unix ms; default the last 12 months)");
        reports.MapGet("/charts/incidents", IncidentsChartAsync).WithSummary("Refusals and alarms (also by type) per month");
        reports.MapGet("/charts/lead-times", LeadTimesChartAsync).WithSummary("Approval lead times (median, p90...) of applications decided each month");
        reports.MapGet("/retention", RetentionAsync).WithSummary("The ledger's retention: years, the oldest entry, when it may first be deleted");

        RouteGroupBuilder board = app.MapGroup("/api/seals/board").WithTags("Seals").RequireAuthorization();
        board.MapGet("/", BoardAsync).WithSummary("印章出勤看板: every seal in the caller's units — where it is, who holds it, since and until when, overdue (live: SSE event seal-location); ?applicable=true: the seals the caller may apply for");
        board.MapGet("/{sealId}", BoardLineAsync).WithSummary("One seal's line of the board");
    }

    public static Results<PushStreamHttpResult, ValidationProblem> ExportCsvAsync(
        LedgerExports exportsService, ClaimsPrincipal user, string? seal, string? unit, string? person, string? device, string? application, string? kind, long? from, long? to)
    {
        var filter = new LedgerFilter(seal, unit, person, device, application, kind, from, to);
        if (filter.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        LedgerAudience scope = LedgerAudience.Of(user);
        return TypedResults.Stream(stream => exportsService.WriteCsvAsync(scope, filter, stream), "text/csv; charset=utf-8", FileName("csv"));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportPdfAsync(
        LedgerExports exportsService, ClaimsPrincipal user, string? seal, string? unit, string? person, string? device, string? application, string? kind, long? from, long? to, CancellationToken cancellationToken)
    {
        var filter = new LedgerFilter(seal, unit, person, device, application, kind, from, to);
        if (filter.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        using var buffer = new MemoryStream();
        try
        {
            await exportsService.WritePdfAsync(LedgerAudience.Of(user), filter, buffer, cancellationToken);
        }
        catch (ExportTooLargeException e)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity, Title = "Export too large", Detail = e.Message, Type = "https://smartseal.dev/problems/export-too-large",
            });
        }
        catch (PdfFontMissingException e)
        {
            return TypedResults.Problem(FontMissing(e));
        }

        return TypedResults.File(buffer.ToArray(), "application/pdf", FileName("pdf"));
    }

    public static async Task<Results<Ok<QuarterlyReport>, ValidationProblem>> QuarterlyAsync(QuarterlyReports service, ClaimsPrincipal user, int? year, int? quarter, ReportClock clock, CancellationToken cancellationToken)
    {
        (int y, int q) = DefaultQuarter(year, quarter, clock);
        if (QuarterlyReports.Problems(y, q) is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        return TypedResults.Ok(await service.BuildAsync(LedgerAudience.Of(user), y, q, cancellationToken));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> QuarterlyPdfAsync(
        QuarterlyReports service, ClaimsPrincipal user, int? year, int? quarter, ReportClock clock, IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        (int y, int q) = DefaultQuarter(year, quarter, clock);
        if (QuarterlyReports.Problems(y, q) is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        QuarterlyReport report = await service.BuildAsync(LedgerAudience.Of(user), y, q, cancellationToken);
        using var buffer = new MemoryStream();
        try
        {
            QuarterlyReportPdf.Write(report, clock, options.Value.FontPath, buffer);
        }
        catch (PdfFontMissingException e)
        {
            return TypedResults.Problem(FontMissing(e));
        }

        return TypedResults.File(buffer.ToArray(), "application/pdf", $"smartseal-audit-{y}-q{q}.pdf");
    }

    public static async Task<Results<Ok<UsesChart>, ValidationProblem>> UsesChartAsync(ReportCharts charts, ReportClock clock, ClaimsPrincipal user, long? from, long? to, CancellationToken cancellationToken) =>
        Period(clock, from, to) is { } period
            ? TypedResults.Ok(await charts.UsesAsync(LedgerAudience.Of(user), period, cancellationToken))
            : PeriodProblem();

    public static async Task<Results<Ok<IncidentsChart>, ValidationProblem>> IncidentsChartAsync(ReportCharts charts, ReportClock clock, ClaimsPrincipal user, long? from, long? to, CancellationToken cancellationToken) =>
        Period(clock, from, to) is { } period
            ? TypedResults.Ok(await charts.IncidentsAsync(LedgerAudience.Of(user), period, cancellationToken))
            : PeriodProblem();

    public static async Task<Results<Ok<LeadTimesChart>, ValidationProblem>> LeadTimesChartAsync(ReportCharts charts, ReportClock clock, ClaimsPrincipal user, long? from, long? to, CancellationToken cancellationToken) =>
        Period(clock, from, to) is { } period
            ? TypedResults.Ok(await charts.LeadTimesAsync(LedgerAudience.Of(user), period, cancellationToken))
            : PeriodProblem();

    public static async Task<Ok<RetentionView>> RetentionAsync(LedgerRetention retention, LedgerReader reader, CancellationToken cancellationToken)
    {
        long? oldest = await reader.OldestAtMsAsync(cancellationToken);
        return TypedResults.Ok(new RetentionView(retention.Years, LedgerRetention.MinimumYears, retention.ProtectedSinceMs, oldest, oldest is { } o ? retention.KeptUntilMs(o) : null));
    }

    /// <param name="applicable">true: the seals the caller may apply for (their unit, its parents and sub-units), as applicants see the board.</param>
    public static async Task<Ok<SealBoardRow[]>> BoardAsync(SealBoard board, ClaimsPrincipal user, string? unitId, bool? applicable, CancellationToken cancellationToken) =>
        TypedResults.Ok((applicable == true
            ? await board.ApplicableAsync(CallerScope.Of(user).Actor, cancellationToken)
            : await board.ReadAsync(CallerScope.Of(user), unitId, null, cancellationToken)).ToArray());

    public static async Task<Results<Ok<SealBoardRow>, ProblemHttpResult>> BoardLineAsync(string sealId, SealBoard board, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await board.ReadAsync(CallerScope.Of(user), null, sealId, cancellationToken)) is [var row]
            ? TypedResults.Ok(row)
            : TypedResults.Problem(Problems.NotFound($"no seal {sealId}"));

    private static ProblemDetails FontMissing(PdfFontMissingException e) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable, Title = "PDF font missing", Detail = e.Message, Type = "https://smartseal.dev/problems/pdf-font-missing",
    };

    /// <summary>Without year and quarter: the last complete quarter.</summary>
    private static (int Year, int Quarter) DefaultQuarter(int? year, int? quarter, ReportClock clock)
    {
        if (year is { } y && quarter is { } q)
        {
            return (y, q);
        }

        DateTimeOffset now = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(clock.NowMs), clock.Zone);
        int current = (now.Month - 1) / 3 + 1;
        return (year ?? (current == 1 ? now.Year - 1 : now.Year), quarter ?? (current == 1 ? 4 : current - 1));
    }

    private static ChartPeriod? Period(ReportClock clock, long? from, long? to)
    {
        long end = to ?? clock.NowMs;
        DateTimeOffset local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(end - 1), clock.Zone);
        long start = from ?? clock.MonthStartMs(local.AddMonths(-11).Year, local.AddMonths(-11).Month);
        return start < end && end - start <= 10L * 366 * 86_400_000 && start >= 0 ? new ChartPeriod(start, end) : null;
    }

    private static ValidationProblem PeriodProblem() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["the period must be from < to, at most 10 years, from >= 0"] });

    private static string FileName(string extension) =>
        $"smartseal-ledger-{DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.{extension}";
}

public sealed record RetentionView(int Years, int MinimumYears, long ProtectedSinceMs, long? OldestEntryMs, long? OldestEntryKeptUntilMs);
