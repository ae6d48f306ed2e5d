using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Reports;

/// <summary>Writes the ledger (within a caller's scope and a filter) as CSV or PDF.</summary>
public sealed class LedgerExports(LedgerExportRows rows, IPhotoStore photos, PhotoThumbnailer thumbnailer, IOptions<ReportsOptions> options, ReportClock clock)
{
    private readonly ReportsOptions _options = options.Value;

    public LedgerCsvWriter Csv => new(clock.Zone);

    public Task WriteCsvAsync(LedgerAudience scope, LedgerFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        Csv.WriteAsync(rows.ReadAsync(scope, filter, cancellationToken), output, cancellationToken);

    /// <summary>Returns the number of entries printed; <see cref="ExportTooLargeException"/> over the configured maximum.</summary>
    public Task<int> WritePdfAsync(LedgerAudience scope, LedgerFilter filter, Stream output, CancellationToken cancellationToken = default)
    {
        CjkFontResolver.Install(_options.FontPath);
        var writer = new LedgerPdfWriter(photos, thumbnailer, Csv, Math.Max(0, _options.PdfPhotosPerEntry));
        return writer.WriteAsync(rows.ReadAsync(scope, filter, cancellationToken), Describe(filter, scope), output, _options.MaxPdfEntries, cancellationToken);
    }

    /// <summary>The filter in words, printed under the title of every page.</summary>
    public string Describe(LedgerFilter filter, LedgerAudience scope)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name} {value}");
            }
        }

        Add("seal", filter.SealId);
        Add("unit", filter.UnitId);
        Add("person", filter.Person);
        Add("device", filter.DeviceId);
        Add("application", filter.ApplicationId);
        Add("kind", filter.Kind);
        Add("from", filter.FromMs is { } f ? Csv.Time(f) : null);
        Add("to", filter.ToMs is { } t ? Csv.Time(t) : null);
        parts.Add($"exported by {scope.Actor} at {Csv.Time(clock.NowMs)}");
        return string.Join("  ", parts);
    }
}
