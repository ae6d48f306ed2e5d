using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// The applications' read API for other modules (owner of <c>applications</c> and the approval tables): applications by id, approved for a seal, in a period.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class ApplicationDirectory(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;

    /// <summary>
    /// The fence a lock holding <paramref name="sealIds"/> works under: the location limit of the
    /// newest decided approved lock application for one of them that has one (null: none has).
    /// </summary>
    public async Task<LockFence?> LockFenceAsync(IReadOnlyList<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        // The newest of each chunk of a hundred seals, then the newest of those.
        List<(string SealId, string ApplicationId, string Location, long? DecidedMs)> newestPerChunk =
            await SqlList.QueryInChunksAsync<(string, string, string, long?)>(
                connection,
                """
                SELECT seal_id, id, location, decided_ms FROM applications
                WHERE seal_id IN {values} AND status = 'approved' AND mode = 'lock' AND location IS NOT NULL
                ORDER BY decided_ms DESC LIMIT 1
                """,
                sealIds);
        (string SealId, string ApplicationId, string Location, long? DecidedMs)? newest =
            newestPerChunk.Count == 0 ? null : newestPerChunk.MaxBy(row => row.DecidedMs ?? long.MinValue);
        return newest is { } fence ? new LockFence(fence.SealId, fence.ApplicationId, ApplicationJson.Read<LocationLimit>(fence.Location)) : null;
    }

    /// Who may collect one of <paramref name="sealIds"/> at a cabinet now: one row per approved
    /// application in cabinet mode for those seals whose window ends after <paramref name="nowMs"/>.
    /// </summary>
    public async Task<IReadOnlyList<ApplicantWindow>> CabinetWindowsOpenAsync(IReadOnlyCollection<string> sealIds, long nowMs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<ApplicantWindow>(
            connection,
            """
            SELECT applicant AS Applicant, window_to_ms AS WindowToMs FROM applications
            WHERE status = 'approved' AND mode = 'cabinet' AND window_to_ms > @now AND seal_id IN {values}
            """,
            sealIds,
            new { now = nowMs });
    }

    /// <summary>The applicant and status of application <paramref name="applicationId"/>, or null when there is no such application.</summary>
    public async Task<ApplicantAndStatus?> StatusAsync(string applicationId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApplicantAndStatus>(
            "SELECT applicant AS Applicant, status AS Status FROM applications WHERE id = @applicationId", new { applicationId });
    }

    /// <summary>Approved applications for <paramref name="sealIds"/> (any window): who applied, until when, when decided.</summary>
    public async Task<IReadOnlyList<ApprovedApplication>> ApprovedForSealsAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<ApprovedApplication>(connection,
            "SELECT id AS Id, seal_id AS SealId, applicant AS Applicant, window_to_ms AS WindowToMs, decided_ms AS DecidedMs FROM applications WHERE status = 'approved' AND seal_id IN {values}", sealIds,
            cancellationToken: cancellationToken);
    }

    /// <summary>Applications for <paramref name="sealIds"/> decided in [<paramref name="fromMs"/>, <paramref name="toMs"/>) with a lead time.</summary>
    public async Task<IReadOnlyList<DecidedApplication>> DecidedForSealsAsync(IEnumerable<string> sealIds, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<DecidedApplication>(connection,
            """
                SELECT seal_id AS SealId, status AS Status, decided_ms AS DecidedMs, lead_time_ms AS LeadTimeMs FROM applications
                WHERE lead_time_ms IS NOT NULL AND decided_ms >= @fromMs AND decided_ms < @toMs AND seal_id IN {values}
                """, sealIds,
            new { fromMs, toMs }, cancellationToken: cancellationToken);
    }

    /// <summary>The ids of the applications <paramref name="applicant"/> submitted.</summary>
    public async Task<IReadOnlyList<string>> IdsOfApplicantAsync(string applicant, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM applications WHERE applicant = @applicant", new { applicant }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The stored applications with these ids (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> RecordsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await ApplicationService.ReadManyAsync(ids, connection, null);
    }
}
