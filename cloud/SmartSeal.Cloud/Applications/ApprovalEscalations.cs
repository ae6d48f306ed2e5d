using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>A reminder or escalation of an overdue step, as the timeline shows it.</summary>
public sealed record EscalationView(long Id, string ApplicationId, int Round, int Step, string Kind, string[] Logins, string Note, long AtMs);

/// <summary>
/// Overdue approval steps, swept periodically: when a step passes its due time (one working day, urgent
/// two hours — <see cref="ApprovalOptions"/>, counted in the working calendar) its approvers are
/// reminded; when it is still undecided one step time later, it escalates to the next configured
/// person (the step's <c>escalateTo</c>, else the same post or role one level up the unit tree), who
/// joins the step with a fresh due time. Each reminder and escalation is recorded (table
/// <c>approval_follow_ups</c>, the ledger) and announced on the live feed to the people concerned
/// (events <see cref="ReminderEvent"/>, <see cref="EscalationEvent"/>, feed key <c>user:{login}</c>).
/// </summary>
public sealed class ApprovalEscalations(
    Database database, ApplicationService applications, ApprovalChainResolver chains, LedgerService ledger, LiveFeedHub hub, IOptions<ApprovalOptions> options,
    TimeProvider time, ILogger<ApprovalEscalations> logger) : BackgroundService
{
    public const string ReminderEvent = "approval-reminder";
    public const string EscalationEvent = "approval-escalated";

    private readonly WorkingCalendar _calendar = WorkingCalendar.From(options.Value);

    /// <summary>One sweep at a time in this process (the timer's and a caller's), so a step is never reminded twice at once.</summary>
    private readonly SemaphoreSlim _oneSweep = new(1, 1);

    /// <summary>One sweep now; returns how many steps it reminded or escalated.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await _oneSweep.WaitAsync(cancellationToken);
        try
        {
            return await SweepOnceAsync(cancellationToken);
        }
        finally
        {
            _oneSweep.Release();
        }
    }

    private async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<string> overdue = (await connection.QueryAsync<string>(
            "SELECT id FROM applications WHERE status = 'pending' AND step_due_ms < @now ORDER BY step_due_ms LIMIT 500", new { now })).AsList();
        int acted = 0;
        foreach (ApplicationRecord application in await ApplicationService.ReadManyAsync(overdue, connection, null))
        {
            EscalationView? last = (await ListAsync(application.Id, connection))
                .LastOrDefault(f => f.Round == application.State.Round && f.Step == application.State.CurrentStep);
            if (last is null || last.Kind != "reminded")
            {
                await RemindAsync(application, now, connection, cancellationToken);
                acted++;
            }
            else if (now >= _calendar.Add(DateTimeOffset.FromUnixTimeMilliseconds(last.AtMs), StepTime(application)).ToUnixTimeMilliseconds()
                     && await EscalateAsync(application, now, connection, cancellationToken))
            {
                acted++;
            }
        }

        return acted;
    }

    public async Task<IReadOnlyList<EscalationView>> ListAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await ListAsync(applicationId, connection);
    }

    private static async Task<IReadOnlyList<EscalationView>> ListAsync(string applicationId, DbConnection connection) =>
        (await connection.QueryAsync<(long Id, long Round, long Step, string Kind, string Logins, string Note, long AtMs)>(
            "SELECT id, round, step, kind, logins, note, at_ms FROM approval_follow_ups WHERE application_id = @applicationId ORDER BY at_ms, id", new { applicationId }))
        .Select(r => new EscalationView(r.Id, applicationId, (int)r.Round, (int)r.Step, r.Kind, r.Logins.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Note, r.AtMs))
        .ToList();

    private TimeSpan StepTime(ApplicationRecord application) =>
        application.Content.Urgency == Urgency.Urgent ? options.Value.UrgentStepTime : options.Value.NormalStepTime;

    private async Task RemindAsync(ApplicationRecord application, long now, DbConnection connection, CancellationToken cancellationToken)
    {
        ApprovalState state = application.State;
        string[] holders = [.. state.Holders];
        string note = $"step '{state.Steps[state.CurrentStep].Name}' overdue since {DateTimeOffset.FromUnixTimeMilliseconds(application.StepDueMs ?? now):u}";
        EscalationView reminder = await RecordAsync(application, "reminded", holders, note, now, connection, cancellationToken);
        foreach (string login in holders)
        {
            hub.Publish(ReminderEvent, "user:" + login, reminder);
        }
    }

    /// <summary>Adds the next person to the overdue step; false when there is nobody higher to go to (the reminder stands).</summary>
    private async Task<bool> EscalateAsync(ApplicationRecord application, long now, DbConnection connection, CancellationToken cancellationToken)
    {
        ApprovalState state = application.State;
        ApprovalStep step = state.Steps[state.CurrentStep];
        ApprovalStep? escalated = step.IsCountersign ? await EscalateCountersignAsync(application, step, connection) : await EscalatePlainAsync(application, step, connection);
        if (escalated is null)
        {
            logger.LogWarning("Application {Application}: step '{Step}' is overdue and has nobody higher to escalate to", application.Id, step.Name);
            return false;
        }

        string[] added = [.. escalated.Approvers.Except(step.Approvers, StringComparer.Ordinal)];
        ApplicationRecord? after = await applications.ReplaceCurrentStepAsync(application, escalated, "escalated", now, connection, cancellationToken);
        if (after is null)
        {
            return false; // decided meanwhile: nothing to escalate
        }

        EscalationView record = await RecordAsync(after, "escalated", added, escalated.Notes![^1], now, connection, cancellationToken, ledgered: true);
        foreach (string login in added.Concat(state.Holders).Distinct(StringComparer.Ordinal))
        {
            hub.Publish(EscalationEvent, "user:" + login, record);
        }

        return true;
    }

    private async Task<ApprovalStep?> EscalatePlainAsync(ApplicationRecord application, ApprovalStep step, DbConnection connection)
    {
        IReadOnlyList<string> next = await NextPeopleAsync(application, step, step.UnitId, connection);
        if (next.Count == 0)
        {
            return null;
        }

        // Any-of: the superior joins; all-of and single: the superior stands in for those who have not acted.
        ApprovalState state = application.State;
        List<string> voted = step.Approvers.Where(a => !state.Holders.Contains(a)).ToList();
        List<string> approvers = step.Mode == StepMode.AnyOf ? [.. step.Approvers.Union(next, StringComparer.Ordinal)] : [.. voted.Union(next, StringComparer.Ordinal)];
        return step with
        {
            Approvers = approvers,
            Escalated = [.. (step.Escalated ?? []).Union(next, StringComparer.Ordinal)],
            Notes = [.. step.Notes ?? [], $"overdue: escalated to {string.Join(", ", next)}"],
        };
    }

    private async Task<ApprovalStep?> EscalateCountersignAsync(ApplicationRecord application, ApprovalStep step, DbConnection connection)
    {
        IReadOnlySet<string> pending = application.State.PendingParts(application.State.CurrentStep).Select(p => p.UnitId).ToHashSet(StringComparer.Ordinal);
        var parts = new List<StepPart>();
        var added = new List<string>();
        foreach (StepPart part in step.Parts!)
        {
            IReadOnlyList<string> next = pending.Contains(part.UnitId) ? await NextPeopleAsync(application, step, part.UnitId, connection) : [];
            added.AddRange(next.Except(part.Approvers, StringComparer.Ordinal));
            parts.Add(part with { Approvers = [.. part.Approvers.Union(next, StringComparer.Ordinal)] });
        }

        return added.Count == 0 ? null : step with
        {
            Parts = parts,
            Approvers = [.. parts.SelectMany(p => p.Approvers).Distinct(StringComparer.Ordinal)],
            Escalated = [.. (step.Escalated ?? []).Union(added, StringComparer.Ordinal)],
            Notes = [.. step.Notes ?? [], $"overdue: escalated to {string.Join(", ", added.Distinct(StringComparer.Ordinal))}"],
        };
    }

    /// <summary>The step's configured escalation person, else the holders of its post (or role) from the parent of <paramref name="unitId"/> upwards.</summary>
    private async Task<IReadOnlyList<string>> NextPeopleAsync(ApplicationRecord application, ApprovalStep step, string? unitId, DbConnection connection)
    {
        if (step.EscalateTo is { } person && person != application.Applicant)
        {
            return step.Approvers.Contains(person) ? [] : [person];
        }

        if (unitId is null || (step.Post is null && step.Roles is null))
        {
            return [];
        }

        string[] above = (await chains.UpwardsFromAsync(unitId, connection, null)).Skip(1).ToArray();
        ApprovalStep? higher = await chains.WalkAsync(step.Name, StepMode.AnyOf, step.Post, step.Roles ?? [], above, application.Applicant, connection, null);
        return higher?.Approvers.Where(a => !step.Approvers.Contains(a)).ToList() ?? [];
    }

    private async Task<EscalationView> RecordAsync(ApplicationRecord application, string kind, string[] logins, string note, long now, DbConnection connection,
        CancellationToken cancellationToken, bool ledgered = false)
    {
        ApprovalState state = application.State;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO approval_follow_ups (application_id, round, step, kind, logins, note, at_ms)
            VALUES (@Id, @Round, @CurrentStep, @kind, @logins, @note, @now) RETURNING id
            """,
            new { application.Id, state.Round, state.CurrentStep, kind, logins = string.Join(",", logins), note, now }, transaction);
        if (!ledgered)
        {
            // An escalation's ledger entry is the step change itself (ApplicationService); a reminder gets its own.
            await ledger.AppendAsync(
                [StepLedgerEntry.Of(application, state, "system", kind, $"app:{application.Id}:follow-up:{id}", now, ("approvers", string.Join(",", logins)), ("comment", note))],
                connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new EscalationView(id, application.Id, state.Round, state.CurrentStep, kind, logins, note, now);
    }

    public override void Dispose()
    {
        _oneSweep.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EscalationSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                // Never let the sweep stop (a stopped BackgroundService stops the host).
                logger.LogWarning("Escalation sweep failed ({Message}); trying again in {Interval}", e.Message, options.Value.EscalationSweepInterval);
            }
        }
    }
}
