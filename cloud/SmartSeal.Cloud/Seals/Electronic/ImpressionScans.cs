using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>One uploaded scan of a legacy seal's impression (the image bytes are not in the view).</summary>
public sealed record ImpressionScanView(string Id, string SealId, string OriginalSha256, string ContentType, int WidthPx, int HeightPx, double WidthMm, double HeightMm,
    long LedgerEntryId, string UploadedBy, long UploadedMs, long? ReplacedMs)
{
    public bool Current => ReplacedMs is null;
}

/// <summary>An uploaded scan and the e-seal it now belongs to.</summary>
public sealed record ImpressionScanUpload(ImpressionScanView Scan, ESealView ESeal);

/// <summary>
/// Legacy seals' scans as impressions (issue 16 item 2): a keeper of the seal's unit uploads a scan
/// of the metal seal's impression; it is checked and cleaned (<see cref="ImpressionScanCleaner"/>),
/// kept as sent with its SHA-256 beside the cleaned image, replaces the current scan (the old one
/// stays on record) and becomes the e-seal's impression — one transaction with an "e-seal" ledger
/// entry (action impression-scan), like a change (变更). The keeper can switch back to the impression
/// drawn from the seal's text and forth again (action impression). A frozen or revoked e-seal gets
/// neither. <see cref="ImpressionOfAsync(Seal, ESeal, CancellationToken)"/> is what sealing and previews draw.
/// </summary>
public sealed class ImpressionScans(Database database, SealRegistry seals, ESealRegister register, LedgerService ledger, IOptions<ESealOptions> options,
    TimeProvider time, ILogger<ImpressionScans> logger)
{
    private const double MinMm = 10, MaxMm = 80;

    private const string Columns = """
        id AS Id, seal_id AS SealId, original_sha256 AS OriginalSha256, content_type AS ContentType, width_px AS WidthPx, height_px AS HeightPx,
        width_um AS WidthUm, height_um AS HeightUm, ledger_entry AS LedgerEntryId, uploaded_by AS UploadedBy, uploaded_ms AS UploadedMs, replaced_ms AS ReplacedMs
        """;

    /// <summary>
    /// Stores a scan as the e-seal's impression. <paramref name="widthMm"/> is the impression's real
    /// width (default: the seal type's, e.g. 42 mm round); the height follows the scan's proportions.
    /// Throws <see cref="ImpressionScanException"/> for an upload that is not a usable PNG/JPEG scan;
    /// scope and state are checked first, so a caller outside the unit learns nothing from it.
    /// </summary>
    public async Task<ChangeResult<ImpressionScanUpload>> UploadAsync(string sealId, byte[] upload, double? widthMm, CallerScope writer, CancellationToken cancellationToken = default)
    {
        if (widthMm is { } given && (double.IsNaN(given) || given is < MinMm or > MaxMm))
        {
            return ChangeResult<ImpressionScanUpload>.Invalid("widthMm", $"an impression is {MinMm}..{MaxMm} mm wide");
        }

        ChangeResult<(Seal, ESeal)> loaded = await LoadWritableAsync(sealId, writer, "take a scanned impression", cancellationToken);
        if (loaded.Status != ChangeStatus.Ok)
        {
            return new(loaded.Status, null, loaded.Error, loaded.Problems);
        }

        (Seal seal, ESeal current) = loaded.Value;
        if (upload.Length > options.Value.MaxImpressionScanBytes)
        {
            throw new ImpressionScanException(ScanProblem.TooLarge, $"the scan has {upload.Length} bytes; the limit is {options.Value.MaxImpressionScanBytes} (SmartSeal:ESeals:MaxImpressionScanBytes)");
        }

        CleanedScan cleaned = ImpressionScanCleaner.Clean(upload);
        double width = widthMm ?? ImpressionSpec.For(seal, options.Value.Organisation).WidthMm;
        double height = Math.Round(width * cleaned.HeightPx / cleaned.WidthPx, 3);
        if (height is < MinMm or > MaxMm)
        {
            return ChangeResult<ImpressionScanUpload>.Invalid("widthMm", $"at {width} mm wide the scan's proportions make it {height} mm high; an impression is {MinMm}..{MaxMm} mm");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string id = "scan-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string sha = Convert.ToHexStringLower(SHA256.HashData(upload));
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await MarkAsync(connection, transaction, current, ImpressionSource.Scan, id, now))
        {
            await transaction.RollbackAsync(cancellationToken);
            return ChangeResult<ImpressionScanUpload>.Conflict($"e-seal {sealId} changed meanwhile; read it again");
        }

        var fields = new Dictionary<string, string>
        {
            ["action"] = "impression-scan", ["scan"] = id, ["sha256"] = sha, ["contentType"] = cleaned.ContentType,
            ["widthMm"] = Mm(width), ["heightMm"] = Mm(height), ["from"] = Kebab.Of(current.Impression), ["to"] = Kebab.Of(ImpressionSource.Scan),
            ["replaced"] = current.ImpressionScanId ?? string.Empty,
        };
        long entry = (await ledger.AppendAsync([Entry(sealId, writer.Actor, now, fields)], connection, transaction, cancellationToken))[0].Id;
        await connection.ExecuteAsync(
            "UPDATE e_seal_impression_scans SET replaced_ms = @now WHERE seal_id = @sealId AND replaced_ms IS NULL", new { now, sealId }, transaction);
        var scan = new ImpressionScanView(id, sealId, sha, cleaned.ContentType, cleaned.WidthPx, cleaned.HeightPx, width, height, entry, writer.Actor, now, null);
        await connection.ExecuteAsync(
            """
            INSERT INTO e_seal_impression_scans (id, seal_id, original, original_sha256, content_type, cleaned_png, width_px, height_px, width_um, height_um, ledger_entry, uploaded_by, uploaded_ms)
            VALUES (@Id, @SealId, @original, @OriginalSha256, @ContentType, @cleaned, @WidthPx, @HeightPx, @widthUm, @heightUm, @LedgerEntryId, @UploadedBy, @UploadedMs)
            """,
            new
            {
                scan.Id, scan.SealId, original = upload, scan.OriginalSha256, scan.ContentType, cleaned = cleaned.Png, scan.WidthPx, scan.HeightPx,
                widthUm = Micrometres(width), heightUm = Micrometres(height), scan.LedgerEntryId, scan.UploadedBy, scan.UploadedMs,
            },
            transaction);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("e-seal {SealId}: impression scan {ScanId} ({Sha256}, {Width}×{Height} mm) by {Actor}", sealId, id, sha, Mm(width), Mm(height), writer.Actor);
        return ChangeResult<ImpressionScanUpload>.Ok(new(scan, new ESealView(seal, current with { Impression = ImpressionSource.Scan, ImpressionScanId = id, UpdatedMs = now })));
    }

    /// <summary>Chooses the impression sealing uses: drawn from the seal's text, or the current scan (409 without one).</summary>
    public async Task<ChangeResult<ESealView>> ChooseAsync(string sealId, ImpressionSource source, CallerScope writer, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(source))
        {
            return ChangeResult<ESealView>.Invalid("source", "rendered or scan");
        }

        ChangeResult<(Seal, ESeal)> loaded = await LoadWritableAsync(sealId, writer, "change its impression", cancellationToken);
        if (loaded.Status != ChangeStatus.Ok)
        {
            return new(loaded.Status, null, loaded.Error, loaded.Problems);
        }

        (Seal seal, ESeal current) = loaded.Value;
        if (source == ImpressionSource.Scan && current.ImpressionScanId is null)
        {
            return ChangeResult<ESealView>.Conflict($"e-seal {sealId} has no scanned impression: upload one first (POST /api/seals/{sealId}/e-seal/impression-scans)");
        }

        if (current.Impression == source)
        {
            return ChangeResult<ESealView>.Ok(new ESealView(seal, current)); // already so: nothing to ledger
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await MarkAsync(connection, transaction, current, source, current.ImpressionScanId, now))
        {
            await transaction.RollbackAsync(cancellationToken);
            return ChangeResult<ESealView>.Conflict($"e-seal {sealId} changed meanwhile; read it again");
        }

        await ledger.AppendAsync(
            [Entry(sealId, writer.Actor, now, new() { ["action"] = "impression", ["from"] = Kebab.Of(current.Impression), ["to"] = Kebab.Of(source), ["scan"] = current.ImpressionScanId ?? string.Empty })],
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<ESealView>.Ok(new ESealView(seal, current with { Impression = source, UpdatedMs = now }));
    }

    /// <summary>Every scan of the seal, newest first; null when the caller does not see the e-seal.</summary>
    public async Task<IReadOnlyList<ImpressionScanView>?> ListAsync(string sealId, CallerScope reader, CancellationToken cancellationToken = default)
    {
        if (await register.FindAsync(sealId, reader, cancellationToken) is null)
        {
            return null;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ScanRow>(new CommandDefinition(
                $"SELECT {Columns} FROM e_seal_impression_scans WHERE seal_id = @sealId ORDER BY uploaded_ms DESC, id", new { sealId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToView()).ToList();
    }

    /// <summary>The impression of a seal the caller sees (null otherwise), as sealing would draw it now.</summary>
    public async Task<IImpression?> ImpressionOfAsync(string sealId, CallerScope reader, CancellationToken cancellationToken = default) =>
        await seals.FindAsync(sealId, reader, cancellationToken) is not { } seal ? null
        : await register.FindAsync(sealId, reader, cancellationToken) is { } view ? await ImpressionOfAsync(view.Seal, view.ESeal, cancellationToken)
        : SealImpression.Render(ImpressionSpec.For(seal, options.Value.Organisation)); // a physical seal: what its electronic twin would draw

    /// <summary>The impression sealing uses: the current scan when the e-seal chose it, else drawn from the seal's text.</summary>
    public async Task<IImpression> ImpressionOfAsync(Seal seal, ESeal eSeal, CancellationToken cancellationToken = default)
    {
        if (eSeal is { Impression: ImpressionSource.Scan, ImpressionScanId: { } scanId })
        {
            await using DbConnection connection = await database.OpenAsync(cancellationToken);
            ScanImage? image = await connection.QuerySingleOrDefaultAsync<ScanImage>(new CommandDefinition(
                "SELECT cleaned_png AS Png, width_px AS WidthPx, height_px AS HeightPx, width_um AS WidthUm, height_um AS HeightUm FROM e_seal_impression_scans WHERE id = @scanId",
                new { scanId }, cancellationToken: cancellationToken));
            if (image is not null)
            {
                return new ScannedImpression(scanId, image.Png, (int)image.WidthPx, (int)image.HeightPx, image.WidthUm / 1000.0, image.HeightUm / 1000.0);
            }

            logger.LogError("e-seal {SealId}: its current impression scan {ScanId} is missing; drawing the impression from the text", seal.Id, scanId);
        }

        return SealImpression.Render(ImpressionSpec.For(seal, options.Value.Organisation));
    }

    /// <summary>The upload exactly as the keeper sent it (evidence), for a seal the caller sees.</summary>
    public async Task<(byte[] Bytes, string ContentType)?> OriginalAsync(string sealId, string scanId, CallerScope reader, CancellationToken cancellationToken = default)
    {
        if (await register.FindAsync(sealId, reader, cancellationToken) is null)
        {
            return null;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        OriginalRow? row = await connection.QuerySingleOrDefaultAsync<OriginalRow>(new CommandDefinition(
            "SELECT original AS Bytes, content_type AS ContentType FROM e_seal_impression_scans WHERE id = @scanId AND seal_id = @sealId", new { scanId, sealId }, cancellationToken: cancellationToken));
        return row is null ? null : (row.Bytes, row.ContentType);
    }

    private async Task<ChangeResult<(Seal, ESeal)>> LoadWritableAsync(string sealId, CallerScope writer, string what, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ChangeResult<(Seal, ESeal)> loaded = await register.LoadAsync(connection, null, sealId, writer);
        return loaded.Status == ChangeStatus.Ok && loaded.Value.Item2.State is ESealState.Frozen or ESealState.Revoked
            ? ChangeResult<(Seal, ESeal)>.Conflict($"e-seal {sealId} is {Kebab.Of(loaded.Value.Item2.State)}: it cannot {what}")
            : loaded;
    }

    /// <summary>Sets the impression on the e-seal, compare-and-set on what was read (a lifecycle step meanwhile makes it fail).</summary>
    private static async Task<bool> MarkAsync(DbConnection connection, DbTransaction transaction, ESeal current, ImpressionSource source, string? scanId, long now) =>
        await connection.ExecuteAsync(
            """
            UPDATE e_seals SET impression = @source, impression_scan = @scanId, updated_ms = @now
            WHERE seal_id = @SealId AND updated_ms = @seen AND state NOT IN ('frozen', 'revoked')
            """,
            new { source = Kebab.Of(source), scanId, now, current.SealId, seen = current.UpdatedMs }, transaction) == 1;

    private static LedgerEntry Entry(string sealId, string actor, long now, Dictionary<string, string> fields) =>
        new() { SealId = sealId, Kind = SealLedgerKinds.ESeal, AtMs = now, Actor = actor, Fields = fields };

    private static long Micrometres(double mm) => (long)Math.Round(mm * 1000);

    private static string Mm(double mm) => mm.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Dapper maps rows onto these (SQLite hands back integers as Int64).</summary>
    private sealed class ScanRow
    {
        public string Id { get; set; } = "";

        public string SealId { get; set; } = "";

        public string OriginalSha256 { get; set; } = "";

        public string ContentType { get; set; } = "";

        public long WidthPx { get; set; }

        public long HeightPx { get; set; }

        public long WidthUm { get; set; }

        public long HeightUm { get; set; }

        public long LedgerEntryId { get; set; }

        public string UploadedBy { get; set; } = "";

        public long UploadedMs { get; set; }

        public long? ReplacedMs { get; set; }

        public ImpressionScanView ToView() =>
            new(Id, SealId, OriginalSha256, ContentType, (int)WidthPx, (int)HeightPx, WidthUm / 1000.0, HeightUm / 1000.0, LedgerEntryId, UploadedBy, UploadedMs, ReplacedMs);
    }

    private sealed class OriginalRow
    {
        public byte[] Bytes { get; set; } = [];

        public string ContentType { get; set; } = "";
    }

    private sealed class ScanImage
    {
        public byte[] Png { get; set; } = [];

        public long WidthPx { get; set; }

        public long HeightPx { get; set; }

        public long WidthUm { get; set; }

        public long HeightUm { get; set; }
    }
}
