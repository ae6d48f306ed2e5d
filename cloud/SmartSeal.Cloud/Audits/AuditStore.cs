using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// The audit tables (<c>audits</c>, <c>audit_items</c>, <c>audit_findings</c>). Every change of a
/// finding names the status it expects, so two people acting at once cannot both win; the
/// database's own triggers refuse any change of a closed finding or audit (V023).
/// </summary>
public sealed class AuditStore(Database database)
{
    private const string AuditColumns = "id AS Id, title AS Title, from_ms AS FromMs, to_ms AS ToMs, unit_ids AS UnitIds, seed AS Seed, opened_by AS OpenedBy, opened_ms AS OpenedMs, closed_by AS ClosedBy, closed_ms AS ClosedMs";

    private const string ItemColumns = "id AS Id, position AS Position, kind AS Kind, ref AS Ref, seal_id AS SealId, unit_id AS UnitId, at_ms AS AtMs, photo_before AS PhotoBefore, photo_after AS PhotoAfter, checked_by AS CheckedBy, checked_ms AS CheckedMs, outcome AS Outcome, note AS Note";

    private const string FindingColumns = """
        id AS Id, audit_id AS AuditId, item_id AS ItemId, unit_id AS UnitId, severity AS Severity, description AS Description, recorded_by AS RecordedBy,
        recorded_ms AS RecordedMs, status AS Status, rectify_unit AS RectifyUnit, deadline_ms AS DeadlineMs, assigned_ms AS AssignedMs, answer AS Answer,
        answered_by AS AnsweredBy, answered_ms AS AnsweredMs, review_note AS ReviewNote, returns AS Returns, closed_by AS ClosedBy, closed_ms AS ClosedMs
        """;

    public async Task<long> InsertAsync(Audit audit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO audits (title, from_ms, to_ms, unit_ids, seed, opened_by, opened_ms) VALUES (@Title, @FromMs, @ToMs, @units, @Seed, @OpenedBy, @OpenedMs) RETURNING id",
            new { audit.Title, audit.FromMs, audit.ToMs, units = string.Join(',', audit.UnitIds), audit.Seed, audit.OpenedBy, audit.OpenedMs }, transaction);
        foreach (AuditItem item in audit.Items)
        {
            await connection.ExecuteAsync(
                "INSERT INTO audit_items (audit_id, position, kind, ref, seal_id, unit_id, at_ms, photo_before, photo_after) VALUES (@id, @Position, @Kind, @Ref, @SealId, @UnitId, @AtMs, @PhotoBefore, @PhotoAfter)",
                new { id, item.Position, item.Kind, item.Ref, item.SealId, item.UnitId, item.AtMs, item.PhotoBefore, item.PhotoAfter }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<Audit?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        AuditRow? row = await connection.QuerySingleOrDefaultAsync<AuditRow>($"SELECT {AuditColumns} FROM audits WHERE id = @id", new { id });
        if (row is null)
        {
            return null;
        }

        var items = (await connection.QueryAsync<AuditItem>($"SELECT {ItemColumns} FROM audit_items WHERE audit_id = @id ORDER BY position", new { id })).AsList();
        var findings = (await connection.QueryAsync<AuditFinding>($"SELECT {FindingColumns} FROM audit_findings WHERE audit_id = @id ORDER BY id", new { id })).AsList();
        return row.ToAudit(items, findings);
    }

    /// <summary>Audits newest first, without their checklists and findings.</summary>
    public async Task<IReadOnlyList<Audit>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditRow>($"SELECT {AuditColumns} FROM audits ORDER BY id DESC LIMIT @limit", new { limit }))
            .Select(r => r.ToAudit([], [])).ToList();
    }

    /// <summary>Findings whose rectification is assigned to one of <paramref name="unitIds"/>, newest first.</summary>
    public async Task<IReadOnlyList<AuditFinding>> AssignedToAsync(IReadOnlyCollection<string> unitIds, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<AuditFinding> found = await SqlList.QueryInChunksAsync<AuditFinding>(
            connection, $"SELECT {FindingColumns} FROM audit_findings WHERE rectify_unit IN {{values}} ORDER BY id DESC", [.. unitIds], new { });
        return found.OrderByDescending(f => f.Id).ToList();
    }

    public async Task<bool> CheckItemAsync(long auditId, long itemId, string outcome, string? note, string actor, long nowMs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE audit_items SET outcome = @outcome, note = @note, checked_by = @actor, checked_ms = @nowMs WHERE id = @itemId AND audit_id = @auditId",
            new { auditId, itemId, outcome, note, actor, nowMs }) == 1;
    }

    public async Task<long> InsertFindingAsync(AuditFinding finding, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO audit_findings (audit_id, item_id, unit_id, severity, description, recorded_by, recorded_ms, status, returns)
            VALUES (@AuditId, @ItemId, @UnitId, @Severity, @Description, @RecordedBy, @RecordedMs, @Status, 0) RETURNING id
            """, finding);
    }

    /// <summary>Writes the finding's rectification fields and status if it is still in <paramref name="expectedStatus"/>; false when someone changed it first.</summary>
    public async Task<bool> UpdateFindingAsync(AuditFinding finding, string expectedStatus, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE audit_findings SET status = @Status, rectify_unit = @RectifyUnit, deadline_ms = @DeadlineMs, assigned_ms = @AssignedMs, answer = @Answer,
                answered_by = @AnsweredBy, answered_ms = @AnsweredMs, review_note = @ReviewNote, returns = @Returns, closed_by = @ClosedBy, closed_ms = @ClosedMs
            WHERE id = @Id AND status = @expectedStatus AND closed_ms IS NULL
            """,
            new
            {
                finding.Id, finding.Status, finding.RectifyUnit, finding.DeadlineMs, finding.AssignedMs, finding.Answer, finding.AnsweredBy, finding.AnsweredMs,
                finding.ReviewNote, finding.Returns, finding.ClosedBy, finding.ClosedMs, expectedStatus,
            }) == 1;
    }

    /// <summary>Closes the audit and every finding not closed yet, in one transaction; false when it was closed already.</summary>
    public async Task<bool> CloseAsync(long id, string actor, long nowMs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        int pending = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM audit_findings WHERE audit_id = @id AND status IN ('rectifying', 'answered')", new { id }, transaction);
        if (pending > 0
            || await connection.ExecuteAsync("UPDATE audits SET closed_by = @actor, closed_ms = @nowMs WHERE id = @id AND closed_ms IS NULL", new { id, actor, nowMs }, transaction) != 1)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "UPDATE audit_findings SET status = 'closed', closed_by = @actor, closed_ms = @nowMs WHERE audit_id = @id AND closed_ms IS NULL", new { id, actor, nowMs }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";

        public long FromMs { get; set; }

        public long ToMs { get; set; }

        public string UnitIds { get; set; } = "";

        public long Seed { get; set; }

        public string OpenedBy { get; set; } = "";

        public long OpenedMs { get; set; }

        public string? ClosedBy { get; set; }

        public long? ClosedMs { get; set; }

        public Audit ToAudit(IReadOnlyList<AuditItem> items, IReadOnlyList<AuditFinding> findings) =>
            new(Id, Title, FromMs, ToMs, UnitIds.Split(',', StringSplitOptions.RemoveEmptyEntries), Seed, OpenedBy, OpenedMs, ClosedBy, ClosedMs, items, findings);
    }
}
