using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>An urge (督促) as the timeline shows it.</summary>
public sealed record UrgeView(long Id, string ApplicationId, int Round, int Step, string UrgedBy, string[] Approvers, long AtMs);

/// <summary>
/// The applicant reminds (督促) the approvers who hold an overdue step: only the applicant, only
/// while the current step is past its due time, at most once per
/// <see cref="ApprovalOptions.UrgeInterval"/> per step. The urge is recorded (timeline and ledger)
/// and announced on the live feed (event <see cref="EventName"/>, one per approver, feed key
/// <c>user:{login}</c>) — a notification, never an alarm.
/// </summary>
public sealed class ApplicationUrges(Database database, LedgerService ledger, LiveFeedHub hub, IOptions<ApprovalOptions> options, TimeProvider time)
{
    public const string EventName = "urge";

    public TimeSpan Interval => options.Value.UrgeInterval;

    public async Task<ChangeResult<UrgeView>> UrgeAsync(string applicationId, string actor, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? application = await ApplicationService.ReadAsync(applicationId, connection, null);
        if (application is null)
        {
            return ChangeResult<UrgeView>.NotFound($"no application {applicationId}");
        }

        if (application.Applicant != actor)
        {
            return ChangeResult<UrgeView>.Forbidden("only the applicant may urge the approvers");
        }

        ApprovalState state = application.State;
        if (state.Status != ApplicationStatus.Pending || application.StepDueMs is not { } due || due >= now)
        {
            return ChangeResult<UrgeView>.Conflict($"application {applicationId} has no overdue step to urge");
        }

        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long? last = await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(at_ms) FROM application_urges WHERE application_id = @applicationId AND round = @Round AND step = @CurrentStep",
            new { applicationId, state.Round, state.CurrentStep }, transaction);
        if (last is { } previous && now - previous < (long)Interval.TotalMilliseconds)
        {
            return ChangeResult<UrgeView>.Conflict(
                $"already urged at {DateTimeOffset.FromUnixTimeMilliseconds(previous):u}; again from {DateTimeOffset.FromUnixTimeMilliseconds(previous + (long)Interval.TotalMilliseconds):u}");
        }

        string[] approvers = [.. state.Holders];
        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO application_urges (application_id, round, step, urged_by, approvers, at_ms)
            VALUES (@applicationId, @Round, @CurrentStep, @actor, @approvers, @now) RETURNING id
            """,
            new { applicationId, state.Round, state.CurrentStep, actor, approvers = string.Join(",", approvers), now }, transaction);
        await ledger.AppendAsync(
            [StepLedgerEntry.Of(application, state, actor, "urged", $"app:{applicationId}:urge:{id}", now, ("approvers", string.Join(",", approvers)))],
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var urge = new UrgeView(id, applicationId, state.Round, state.CurrentStep, actor, approvers, now);
        foreach (string approver in approvers)
        {
            hub.Publish(EventName, "user:" + approver, urge);
        }

        return ChangeResult<UrgeView>.Ok(urge);
    }

    public async Task<IReadOnlyList<UrgeView>> ListAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(long Id, long Round, long Step, string UrgedBy, string Approvers, long AtMs)>(
                "SELECT id, round, step, urged_by, approvers, at_ms FROM application_urges WHERE application_id = @applicationId ORDER BY at_ms",
                new { applicationId }))
            .Select(r => new UrgeView(r.Id, applicationId, (int)r.Round, (int)r.Step, r.UrgedBy, r.Approvers.Split(',', StringSplitOptions.RemoveEmptyEntries), r.AtMs))
            .ToList();
    }

    /// <summary>
    /// The latest urge of each pending application's current step (round and step as they stand
    /// now), by application id; applications nobody urged at this step are absent. The approver's
    /// inbox marks these rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UrgeView>> OfCurrentStepsAsync(IReadOnlyList<string> applicationIds, CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<string, UrgeView>(StringComparer.Ordinal);
        if (applicationIds.Count == 0)
        {
            return latest;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        Dictionary<string, ApprovalState> states = (await ApplicationService.ReadManyAsync(applicationIds, connection, null))
            .Where(a => a.State.Status == ApplicationStatus.Pending)
            .ToDictionary(a => a.Id, a => a.State, StringComparer.Ordinal);
        // Ordered by time within each chunk (an application's urges share one): the last of a step wins.
        foreach ((long id, string applicationId, long round, long step, string urgedBy, string approvers, long atMs) in
                 await SqlList.QueryInChunksAsync<(long, string, long, long, string, string, long)>(
                     connection, "SELECT id, application_id, round, step, urged_by, approvers, at_ms FROM application_urges WHERE application_id IN {values} ORDER BY at_ms",
                     states.Keys, cancellationToken: cancellationToken))
        {
            ApprovalState state = states[applicationId];
            if (round == state.Round && step == state.CurrentStep)
            {
                latest[applicationId] = new UrgeView(id, applicationId, (int)round, (int)step, urgedBy, approvers.Split(',', StringSplitOptions.RemoveEmptyEntries), atMs);
            }
        }

        return latest;
    }

    /// <summary>Whether the applicant may urge now: pending, the step overdue, and no urge of this step within the interval.</summary>
    public bool MayUrge(ApplicationView application, IReadOnlyList<UrgeView> urges, long nowMs) =>
        application.Status == ApplicationStatus.Pending && application.StepDueMs is { } due && due < nowMs
        && !urges.Any(u => u.Round == application.Round && u.Step == CurrentStepIndex(application) && nowMs - u.AtMs < (long)Interval.TotalMilliseconds);

    private static int CurrentStepIndex(ApplicationView application) => application.Steps.FirstOrDefault(s => s.State == "current")?.Index ?? -1;
}
