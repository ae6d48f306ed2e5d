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
}

/// <summary>The <c>application_documents</c>, <c>document_pages</c> and <c>document_verdicts</c> tables.</summary>
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

    /// <summary>Every page's reference text, page 1 first.</summary>
    public static async Task<IReadOnlyList<string>> PageTextsAsync(string documentId, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>("SELECT text FROM document_pages WHERE document_id = @documentId ORDER BY page", new { documentId }, transaction)).AsList();

    /// <summary>How often a page has already passed the check.</summary>
    public static Task<long> PassedCountAsync(string applicationId, string documentId, int page, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM document_verdicts WHERE application_id = @applicationId AND document_id = @documentId AND page = @page AND verdict = 'ok'",
            new { applicationId, documentId, page }, transaction);

    /// <summary>Records a verdict once per photo; false when this photo already has one (another instance checked it).</summary>
    public static async Task<bool> InsertVerdictAsync(VerdictRecord verdict, DbConnection connection, DbTransaction? transaction) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO document_verdicts (device_id, photo_id, attempt_id, token_id, application_id, document_id, page, verdict, reasons, elapsed_ms, command_id, created_ms)
            VALUES (@DeviceId, @PhotoId, @AttemptId, @TokenId, @ApplicationId, @DocumentId, @Page, @Verdict, @Reasons, @ElapsedMs, @CommandId, @CreatedMs)
            ON CONFLICT (device_id, photo_id) DO NOTHING
            """,
            verdict, transaction) == 1;

    public static Task SetCommandAsync(string deviceId, string photoId, string commandId, DbConnection connection) =>
        connection.ExecuteAsync("UPDATE document_verdicts SET command_id = @commandId WHERE device_id = @deviceId AND photo_id = @photoId", new { deviceId, photoId, commandId });

    public static async Task<IReadOnlyList<VerdictRecord>> VerdictsForApplicationAsync(string applicationId, DbConnection connection) =>
        (await connection.QueryAsync<VerdictRecord>(
            """
            SELECT device_id AS DeviceId, photo_id AS PhotoId, attempt_id AS AttemptId, token_id AS TokenId, application_id AS ApplicationId, document_id AS DocumentId,
                   page AS Page, verdict AS Verdict, reasons AS Reasons, elapsed_ms AS ElapsedMs, command_id AS CommandId, created_ms AS CreatedMs
            FROM document_verdicts WHERE application_id = @applicationId ORDER BY created_ms
            """,
            new { applicationId })).AsList();
}
