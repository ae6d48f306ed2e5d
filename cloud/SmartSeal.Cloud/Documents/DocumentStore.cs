using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Documents;

/// <summary>An uploaded document of an application.</summary>
public sealed record DocumentRecord
{
    public required string Id { get; init; }

    public required string ApplicationId { get; init; }

    public required string Name { get; init; }

    public int Pages { get; init; }

    public long Bytes { get; init; }

    public required string Sha256 { get; init; }

    public required string UploadedBy { get; init; }

    public long UploadedMs { get; init; }
}

/// <summary>A verdict given on one photographed page.</summary>
public sealed record VerdictRecord
{
    public required string DeviceId { get; init; }

    public required string PhotoId { get; init; }

    public required string AttemptId { get; init; }

    public string? TokenId { get; init; }

    public string? ApplicationId { get; init; }

    public string? DocumentId { get; init; }

    public int? Page { get; init; }

    public required string Verdict { get; init; }

    public required string Reasons { get; init; }

    public long ElapsedMs { get; init; }

    public string? CommandId { get; init; }

    public long CreatedMs { get; init; }

    /// <summary>The picture comparison's evidence image (JPEG), written with the verdict; not read back in lists.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[]? DifferenceImage { get; init; }

    /// <summary>Whether the verdict has a <see cref="DifferenceImage"/> (what lists read instead of the image).</summary>
    public bool HasDifferenceImage { get; init; }
}

/// <summary>The <c>application_documents</c>, <c>document_pages</c>, <c>document_verdicts</c>, <c>document_stamps</c> and <c>stamp_evidence_checks</c> tables.</summary>
public static class DocumentStore
{
    private const string Columns = "id AS Id, application_id AS ApplicationId, name AS Name, pages AS Pages, bytes AS Bytes, sha256 AS Sha256, uploaded_by AS UploadedBy, uploaded_ms AS UploadedMs";

    public static async Task InsertAsync(DocumentRecord document, IReadOnlyList<string> pageTexts, DbConnection connection, DbTransaction transaction)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO application_documents (id, application_id, name, pages, bytes, sha256, uploaded_by, uploaded_ms)
            VALUES (@Id, @ApplicationId, @Name, @Pages, @Bytes, @Sha256, @UploadedBy, @UploadedMs)
            """,
            document, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO document_pages (document_id, page, text) VALUES (@DocumentId, @Page, @Text)",
            pageTexts.Select((text, i) => new { DocumentId = document.Id, Page = i + 1, Text = text }), transaction);
    }

    public static async Task<IReadOnlyList<DocumentRecord>> ForApplicationAsync(string applicationId, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<DocumentRecord>($"SELECT {Columns} FROM application_documents WHERE application_id = @applicationId ORDER BY uploaded_ms, id", new { applicationId }, transaction)).AsList();

    public static Task<DocumentRecord?> FindAsync(string id, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<DocumentRecord>($"SELECT {Columns} FROM application_documents WHERE id = @id", new { id }, transaction);

    /// <summary>Whether a photo has had its check already: a verdict for a before-photo, an after-stamp check for an after-photo.</summary>
    public static async Task<bool> IsCheckedAsync(string deviceId, string photoId, bool after, DbConnection connection) =>
        await connection.ExecuteScalarAsync<long>(
            after
                ? "SELECT COUNT(*) FROM stamp_evidence_checks WHERE device_id = @deviceId AND after_photo_id = @photoId"
                : "SELECT COUNT(*) FROM document_verdicts WHERE device_id = @deviceId AND photo_id = @photoId",
            new { deviceId, photoId }) > 0;

    /// <summary>Every page's reference text, page 1 first.</summary>
    public static async Task<IReadOnlyList<string>> PageTextsAsync(string documentId, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>("SELECT text FROM document_pages WHERE document_id = @documentId ORDER BY page", new { documentId }, transaction)).AsList();

    /// <summary>
    /// How often a page has been stamped: the stamps locks reported on it, plus ok verdicts younger
    /// than <paramref name="holdSinceMs"/> whose stamp is not reported yet (the lock may be open on
    /// that page right now). An ok verdict that never became a stamp stops counting after the hold.
    /// </summary>
    public static Task<long> StampedCountAsync(string applicationId, string documentId, int page, long holdSinceMs, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalarAsync<long>(
            """
            SELECT (SELECT COUNT(*) FROM document_stamps WHERE document_id = @documentId AND page = @page)
                 + (SELECT COUNT(*) FROM document_verdicts v
                    WHERE v.application_id = @applicationId AND v.document_id = @documentId AND v.page = @page AND v.verdict = 'ok' AND v.created_ms >= @holdSinceMs
                      AND NOT EXISTS (SELECT 1 FROM document_stamps s WHERE s.device_id = v.device_id AND s.attempt_id = v.attempt_id))
            """,
            new { applicationId, documentId, page, holdSinceMs }, transaction);

    /// <summary>A stamp a lock reported on a checked page; once per device and attempt.</summary>
    public static Task RecordStampAsync(string deviceId, string attemptId, string? applicationId, string documentId, int page, long atMs, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync(RecordStampSql, new { deviceId, attemptId, applicationId, documentId, page, atMs }, transaction);

    /// <summary>The stamps of an ingest batch, as <see cref="RecordStampAsync"/> would record each, in a few statements.</summary>
    public static Task RecordStampsAsync(IReadOnlyList<StampRecord> stamps, DbConnection connection, DbTransaction? transaction, Storage.SqlDialect dialect, CancellationToken cancellationToken) =>
        Storage.RowInserts.InsertAsync(connection, transaction, dialect, "INSERT INTO document_stamps", StampColumns, "ON CONFLICT (device_id, attempt_id) DO NOTHING", stamps, cancellationToken);

    private static readonly (string Column, Func<StampRecord, object?> Value)[] StampColumns =
    [
        ("device_id", s => s.DeviceId),
        ("attempt_id", s => s.AttemptId),
        ("application_id", s => s.ApplicationId),
        ("document_id", s => s.DocumentId),
        ("page", s => s.Page),
        ("at_ms", s => s.AtMs),
    ];

    /// <summary>A lock's stamp on a checked page (a row of document_stamps).</summary>
    public sealed record StampRecord(string DeviceId, string AttemptId, string? ApplicationId, string DocumentId, int Page, long AtMs);

    private const string RecordStampSql = """
        INSERT INTO document_stamps (device_id, attempt_id, application_id, document_id, page, at_ms) VALUES (@deviceId, @attemptId, @applicationId, @documentId, @page, @atMs)
        ON CONFLICT (device_id, attempt_id) DO NOTHING
        """;

    /// <summary>The verdict on an attempt's before-photo (the newest, if the lock retook it).</summary>
    public static Task<VerdictRecord?> VerdictForAttemptAsync(string deviceId, string attemptId, DbConnection connection) =>
        connection.QuerySingleOrDefaultAsync<VerdictRecord>(
            $"SELECT {VerdictColumns} FROM document_verdicts WHERE device_id = @deviceId AND attempt_id = @attemptId ORDER BY created_ms DESC, id DESC LIMIT 1",
            new { deviceId, attemptId });

    private const string EvidenceColumns = """
        device_id AS DeviceId, after_photo_id AS AfterPhotoId, attempt_id AS AttemptId, before_photo_id AS BeforePhotoId, application_id AS ApplicationId,
        document_id AS DocumentId, page AS Page, result AS Result, flagged AS Flagged, reasons AS Reasons, ink_before AS InkBefore, ink_after AS InkAfter, created_ms AS CreatedMs
        """;

    /// <summary>Records an after-stamp check once per after-photo; false when it already has one.</summary>
    public static async Task<bool> InsertEvidenceAsync(StampEvidenceRecord check, DbConnection connection, DbTransaction? transaction) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO stamp_evidence_checks (device_id, after_photo_id, attempt_id, before_photo_id, application_id, document_id, page, result, flagged, reasons, ink_before, ink_after, created_ms)
            VALUES (@DeviceId, @AfterPhotoId, @AttemptId, @BeforePhotoId, @ApplicationId, @DocumentId, @Page, @Result, @Flagged, @Reasons, @InkBefore, @InkAfter, @CreatedMs)
            ON CONFLICT (device_id, after_photo_id) DO NOTHING
            """,
            check, transaction) == 1;

    public static Task<StampEvidenceRecord?> EvidenceForAttemptAsync(string deviceId, string attemptId, DbConnection connection) =>
        connection.QuerySingleOrDefaultAsync<StampEvidenceRecord>(
            $"SELECT {EvidenceColumns} FROM stamp_evidence_checks WHERE device_id = @deviceId AND attempt_id = @attemptId ORDER BY created_ms DESC, id DESC LIMIT 1",
            new { deviceId, attemptId });

    public static async Task<IReadOnlyList<StampEvidenceRecord>> EvidenceForApplicationAsync(string applicationId, DbConnection connection) =>
        (await connection.QueryAsync<StampEvidenceRecord>(
            $"SELECT {EvidenceColumns} FROM stamp_evidence_checks WHERE application_id = @applicationId ORDER BY created_ms", new { applicationId })).AsList();

    /// <summary>Records a verdict once per photo; false when this photo already has one (another instance checked it).</summary>
    public static async Task<bool> InsertVerdictAsync(VerdictRecord verdict, DbConnection connection, DbTransaction? transaction) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO document_verdicts (device_id, photo_id, attempt_id, token_id, application_id, document_id, page, verdict, reasons, elapsed_ms, command_id, created_ms, difference_image)
            VALUES (@DeviceId, @PhotoId, @AttemptId, @TokenId, @ApplicationId, @DocumentId, @Page, @Verdict, @Reasons, @ElapsedMs, @CommandId, @CreatedMs, @DifferenceImage)
            ON CONFLICT (device_id, photo_id) DO NOTHING
            """,
            verdict, transaction) == 1;

    public static Task SetCommandAsync(string deviceId, string photoId, string commandId, DbConnection connection) =>
        connection.ExecuteAsync("UPDATE document_verdicts SET command_id = @commandId WHERE device_id = @deviceId AND photo_id = @photoId", new { deviceId, photoId, commandId });

    private const string VerdictColumns = """
        device_id AS DeviceId, photo_id AS PhotoId, attempt_id AS AttemptId, token_id AS TokenId, application_id AS ApplicationId, document_id AS DocumentId,
        page AS Page, verdict AS Verdict, reasons AS Reasons, elapsed_ms AS ElapsedMs, command_id AS CommandId, created_ms AS CreatedMs,
        CASE WHEN difference_image IS NULL THEN 0 ELSE 1 END AS HasDifferenceImage
        """;

    /// <summary>The evidence image of the verdict on an attempt's photo (null when there is none).</summary>
    public static Task<byte[]?> DifferenceImageAsync(string deviceId, string attemptId, DbConnection connection) =>
        connection.QuerySingleOrDefaultAsync<byte[]?>(
            "SELECT difference_image FROM document_verdicts WHERE device_id = @deviceId AND attempt_id = @attemptId AND difference_image IS NOT NULL ORDER BY created_ms DESC LIMIT 1",
            new { deviceId, attemptId });

    public static async Task<IReadOnlyList<VerdictRecord>> VerdictsForApplicationAsync(string applicationId, DbConnection connection) =>
        (await connection.QueryAsync<VerdictRecord>(
            $"SELECT {VerdictColumns} FROM document_verdicts WHERE application_id = @applicationId ORDER BY created_ms",
            new { applicationId })).AsList();
}
