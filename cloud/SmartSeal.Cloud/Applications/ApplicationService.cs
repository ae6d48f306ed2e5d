using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Applications and their approval. Every transition runs <see cref="ApprovalRules"/> on the state
/// as read, then writes it only if the version read is still current (a concurrent decision makes
/// the second writer fail with a conflict), rewrites the inbox rows of the application and appends
/// a ledger entry (kind "application") on the seal's chain — all in one transaction.
/// </summary>
public sealed class ApplicationService(
    Database database, LedgerService ledger, ApprovalChainResolver chains, ApprovalChains storedChains, SealScopes scopes, OrgDirectory organisation, SealDirectory sealDirectory,
    IOptions<ApprovalOptions> options, IEnumerable<IApprovalListener> approvalListeners, ApprovalMetrics metrics, TimeProvider time, ILogger<ApplicationService> logger,
    ApplicationNotices notices)
{
    public const string LedgerKind = "application";

    private const string Columns =
        """
        id AS Id, applicant AS Applicant, applicant_unit AS ApplicantUnit, seal_id AS SealId, purpose AS Purpose, documents AS Documents, stamps AS Stamps,
        mode AS Mode, location AS Location, window_from_ms AS WindowFromMs, window_to_ms AS WindowToMs, urgency AS Urgency, chain AS Chain, state AS State,
        submitted_ms AS SubmittedMs, step_due_ms AS StepDueMs, decided_ms AS DecidedMs, lead_time_ms AS LeadTimeMs, updated_ms AS UpdatedMs,
        category AS Category, amount AS Amount, authorisation AS Authorisation
        """;

    private readonly WorkingCalendar _calendar = WorkingCalendar.From(options.Value);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<ChangeResult<ApplicationView>> SubmitAsync(ApplicationRequest request, string applicant, CancellationToken cancellationToken = default)
    {
        long now = Now;
        Dictionary<string, string[]> problems = ApplicationValidator.Check(request, now, out ApplicationContent? content);
        if (problems.Count > 0)
        {
            return ChangeResult<ApplicationView>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        (ChangeResult<ApplicationView>? refused, ChainDefinition? chain, IReadOnlyList<ApprovalStep>? steps, UserAccount? user) =
            await PrepareAsync(content!, applicant, connection, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var record = new ApplicationRecord("ap-" + Guid.NewGuid().ToString("n")[..16], applicant, user!.UnitId, content!, chain!.Name,
            ApprovalState.Start(steps!), now, DueFrom(now, content!.Urgency), null, null, now);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO applications (id, applicant, applicant_unit, seal_id, purpose, documents, stamps, mode, location, window_from_ms, window_to_ms, urgency,
                                      chain, status, state, version, submitted_ms, step_due_ms, decided_ms, lead_time_ms, updated_ms, category, amount, authorisation)
            VALUES (@Id, @Applicant, @ApplicantUnit, @SealId, @Purpose, @Documents, @Stamps, @Mode, @Location, @WindowFromMs, @WindowToMs, @Urgency,
                    @Chain, @Status, @State, @Version, @SubmittedMs, @StepDueMs, NULL, NULL, @UpdatedMs, @Category, @Amount, @Authorisation)
            """,
            Row.Of(record), transaction);
        await RewriteTasksAsync(record, connection, transaction);
        await LedgerAsync(record, applicant, "submitted", null, now, connection, transaction, cancellationToken, details: RoutingFields(record));
        await transaction.CommitAsync(cancellationToken);
        metrics.Transitions.Add(1, new KeyValuePair<string, object?>("decision", "submitted"));
        await notices.AfterChangeAsync(null, record, applicant, cancellationToken);
        return ChangeResult<ApplicationView>.Ok(ApplicationView.Of(record));
    }

    public async Task<ChangeResult<ApplicationView>> DecideAsync(string id, string actor, Decision decision, string? comment, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? before = await ReadAsync(id, connection, null);
        if (before is null)
        {
            return ChangeResult<ApplicationView>.NotFound($"no application {id}");
        }

        long now = Now;
        if (await RerouteMovedAsync(before, now, connection, cancellationToken) is { } rerouted)
        {
            // An approver of the step moved away: the step went to whoever holds the post now, and the decision is judged on that.
            expectedVersion = expectedVersion == before.State.Version ? rerouted.State.Version : expectedVersion;
            before = rerouted;
        }

        IReadOnlySet<string> actsFor = await ActsForAsync(actor, before, now, connection);
        RuleResult result = ApprovalRules.Decide(before.State, actor, actsFor, decision, comment?.Trim(), now, expectedVersion, before.Applicant);
        string label = decision switch { Decision.Approve => "approved", Decision.Reject => "rejected", _ => "returned" };
        return await CommitAsync(before, result, actor, label, comment?.Trim(), null, connection, now, cancellationToken);
    }

    public async Task<ChangeResult<ApplicationView>> WithdrawAsync(string id, string actor, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? before = await ReadAsync(id, connection, null);
        if (before is null)
        {
            return ChangeResult<ApplicationView>.NotFound($"no application {id}");
        }

        return await CommitAsync(before, ApprovalRules.Withdraw(before.State, before.Applicant == actor, expectedVersion), actor, "withdrawn", null, null, connection, Now, cancellationToken);
    }

    /// <summary>Resubmits a returned application, with changed content if <paramref name="changes"/> is given; the chain is resolved afresh.</summary>
    public async Task<ChangeResult<ApplicationView>> ResubmitAsync(string id, string actor, ApplicationRequest? changes, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? before = await ReadAsync(id, connection, null);
        if (before is null)
        {
            return ChangeResult<ApplicationView>.NotFound($"no application {id}");
        }

        long now = Now;
        ApplicationContent content = before.Content;
        if (changes is not null)
        {
            Dictionary<string, string[]> problems = ApplicationValidator.Check(changes with { SealId = changes.SealId ?? content.SealId }, now, out ApplicationContent? changed);
            if (problems.Count > 0)
            {
                return ChangeResult<ApplicationView>.Invalid(problems);
            }

            content = changed!;
        }

        RuleResult check = ApprovalRules.Resubmit(before.State, before.Applicant == actor);
        if (check.Outcome != RuleOutcome.Ok)
        {
            return Refused(check);
        }

        (ChangeResult<ApplicationView>? refused, _, IReadOnlyList<ApprovalStep>? steps, _) = await PrepareAsync(content, before.Applicant, connection, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        return await CommitAsync(before, ApprovalRules.Resubmit(before.State, true, steps), actor, "resubmitted", null, content, connection, now, cancellationToken);
    }

    public async Task<ApplicationView?> FindAsync(string id, CallerScope caller, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? record = await ReadAsync(id, connection, null);
        if (record is null)
        {
            return null;
        }

        // The applicant, sysadmins, and whoever approves a step of it (themself or through a delegation in force).
        bool mayRead = caller.Everything || record.Applicant == caller.Actor
            || (await ActsForAsync(caller.Actor, record, Now, connection)).Overlaps(record.State.Steps.SelectMany(s => s.Approvers))
            || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM step_delegations WHERE to_login = @Actor AND application_id = @Id", new { caller.Actor, record.Id }) > 0;
        return mayRead ? ApplicationView.Of(record) : null;
    }

    public async Task<IReadOnlyList<ApplicationView>> MineAsync(string applicant, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        IEnumerable<Row> rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM applications WHERE applicant = @applicant ORDER BY submitted_ms DESC LIMIT 500", new { applicant });
        return rows.Select(r => ApplicationView.Of(r.ToRecord())).ToList();
    }

    /// <summary>What the approver holds now (their own and, through delegations in force, their delegators'), most pressing first.</summary>
    public async Task<InboxPage> InboxAsync(string approver, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        long now = Now;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<string> approvers = [approver, .. await DelegatorsAsync(approver, now, connection)];
        var parameters = new DynamicParameters(new { limit = pageSize, offset = (page - 1) * pageSize, now });
        string inApprovers = InList(parameters, "a", approvers);
        parameters.Add("me", approver);

        // Steps handed to this approver (StepDelegations) join their inbox; without any, the plain query keeps its index order.
        bool handed = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM step_delegations WHERE to_login = @approver", new { approver }) > 0;
        string tasks = handed ? $"({StepDelegations.PendingTasks(inApprovers, "me")}) t" : "approval_tasks t";
        string where = handed ? "TRUE" : $"t.approver IN {inApprovers} AND t.status = 'pending'";
        long total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {tasks} WHERE {where}", parameters);
        IEnumerable<InboxRow> rows = await connection.QueryAsync<InboxRow>(
            $"""
            SELECT t.application_id AS ApplicationId, a.applicant AS Applicant, a.seal_id AS SealId, a.purpose AS Purpose, a.stamps AS Stamps, a.mode AS Mode,
                   t.urgency AS Urgency, a.state AS State, t.step AS Step, t.approver AS Approver, t.due_ms AS DueMs, a.submitted_ms AS SubmittedMs, a.version AS Version
            FROM {tasks} JOIN applications a ON a.id = t.application_id
            WHERE {where}
            ORDER BY t.due_ms, t.application_id LIMIT @limit OFFSET @offset
            """,
            parameters);
        return new InboxPage(rows.Select(r => r.ToItem(now)).ToArray(), total, page, pageSize);
    }

    /// <summary>Pending steps past their due time: all of them for <paramref name="everyone"/>, else the approver's (and delegators').</summary>
    public async Task<InboxItem[]> OverdueAsync(string approver, bool everyone, CancellationToken cancellationToken = default)
    {
        long now = Now;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<string> approvers = [approver, .. await DelegatorsAsync(approver, now, connection)];
        var parameters = new DynamicParameters(new { now });
        string inApprovers = InList(parameters, "a", approvers);
        IEnumerable<InboxRow> rows = await connection.QueryAsync<InboxRow>(
            $"""
            SELECT t.application_id AS ApplicationId, a.applicant AS Applicant, a.seal_id AS SealId, a.purpose AS Purpose, a.stamps AS Stamps, a.mode AS Mode,
                   t.urgency AS Urgency, a.state AS State, t.step AS Step, t.approver AS Approver, t.due_ms AS DueMs, a.submitted_ms AS SubmittedMs, a.version AS Version
            FROM approval_tasks t JOIN applications a ON a.id = t.application_id
            WHERE t.status = 'pending' AND t.due_ms < @now {(everyone ? string.Empty : "AND t.approver IN " + inApprovers)}
            ORDER BY t.due_ms LIMIT 1000
            """,
            parameters);
        return rows.Select(r => r.ToItem(now)).ToArray();
    }

    public async Task<LeadTimeReport> LeadTimesAsync(long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<long> times = (await connection.QueryAsync<long>(
            "SELECT lead_time_ms FROM applications WHERE lead_time_ms IS NOT NULL AND decided_ms >= @fromMs AND decided_ms < @toMs ORDER BY lead_time_ms",
            new { fromMs, toMs })).ToList();
        if (times.Count == 0)
        {
            return new LeadTimeReport(0, null, null, null, null);
        }

        long Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        return new LeadTimeReport(times.Count, (long)times.Average(), Percentile(0.5), Percentile(0.9), times[^1]);
    }

    private async Task<(ChangeResult<ApplicationView>? Refused, ChainDefinition? Chain, IReadOnlyList<ApprovalStep>? Steps, UserAccount? User)> PrepareAsync(
        ApplicationContent content, string applicant, DbConnection connection, CancellationToken cancellationToken)
    {
        ActiveUser? user = await organisation.ActiveUserAsync(connection, null, applicant);
        if (user is null)
        {
            return (ChangeResult<ApplicationView>.Forbidden("applications are made by signed-in users of the organisation"), null, null, null);
        }

        Seal? seal = await sealDirectory.FindAsync(connection, null, content.SealId);
        if (seal is null || !(await organisation.UnitPathsAsync(connection, null, [seal.UnitId])).TryGetValue(seal.UnitId, out string? sealPath))
        {
            return (ChangeResult<ApplicationView>.Invalid("sealId", $"no seal {content.SealId}"), null, null, null);
        }

        if (!UnitSubtree.OnSameLine(user.UnitPath, sealPath))
        {
            // As the portal offers: the seals of the applicant's unit, its ancestors and its sub-units; another branch's seal is not theirs to see.
            return (ChangeResult<ApplicationView>.NotFound($"no seal {content.SealId} of your unit's line"), null, null, null);
        }

        if (seal.State != SealState.InUse)
        {
            return (ChangeResult<ApplicationView>.Invalid("sealId", $"seal {content.SealId} is {Kebab.Of(seal.State)}, not in use"), null, null, null);
        }

        if (await scopes.FindAsync(seal.Id, connection) is { } scope && scope.Refusal(content, user) is { } refusal)
        {
            // A security refusal: said to the caller with its reason, and logged for the keepers.
            logger.LogWarning("Application by {Applicant} for seal {Seal} refused as outside its scope ({Field}): {Reason}", applicant, seal.Id, refusal.Field, refusal.Reason);
            return (ChangeResult<ApplicationView>.Forbidden($"outside the scope of seal {seal.Id}: {refusal.Reason}"), null, null, null);
        }

        ChainDefinition chain = chains.DefinitionFor(await storedChains.ListAsync(connection), seal, sealPath, content.Category, content.Amount);
        (IReadOnlyList<ApprovalStep>? steps, string? unresolved) = await chains.ResolveAsync(chain, applicant, user.UnitPath, sealPath, connection);
        if (steps is null)
        {
            return (ChangeResult<ApplicationView>.Invalid("sealId", $"nobody can approve step '{unresolved}' of chain '{chain.Name}' for this seal"), null, null, null);
        }

        return (null, chain, steps, new UserAccount(user.Login, user.Login, user.UnitId, user.Post, true));
    }

    /// <summary>Who would approve this application if <paramref name="applicant"/> made it now: the chain chosen and its resolved steps (nothing is stored).</summary>
    public async Task<ChangeResult<ChainPreview>> PreviewAsync(ApplicationRequest request, string applicant, CallerScope caller, CancellationToken cancellationToken = default)
    {
        long now = Now;
        ApplicationRequest complete = request with
        {
            Purpose = request.Purpose ?? "preview", Documents = request.Documents ?? [new ApplicationDocument("preview", 1)], Stamps = request.Stamps ?? 1,
            Mode = request.Mode ?? ApplicationMode.Cabinet, WindowFromMs = request.WindowFromMs ?? now, WindowToMs = request.WindowToMs ?? now + 3_600_000,
        };
        Dictionary<string, string[]> problems = ApplicationValidator.Check(complete, now, out ApplicationContent? content);
        if (problems.Count > 0)
        {
            return ChangeResult<ChainPreview>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (!caller.Everything && (await sealDirectory.FindAsync(connection, null, content!.SealId) is not { } seal
            || !(await organisation.UnitPathsAsync(connection, null, [seal.UnitId])).TryGetValue(seal.UnitId, out string? sealPath)
            || !caller.KeeperUnitIds.Any(k => sealPath.Contains("/" + k + "/", StringComparison.Ordinal))))
        {
            // Who would approve is the keeper's to know for their own seals only.
            return ChangeResult<ChainPreview>.NotFound($"no seal {content!.SealId} in the units you keep");
        }

        (ChangeResult<ApplicationView>? refused, ChainDefinition? chain, IReadOnlyList<ApprovalStep>? steps, _) = await PrepareAsync(content!, applicant, connection, cancellationToken);
        if (refused is not null)
        {
            return new ChangeResult<ChainPreview>(refused.Status, null, refused.Error, refused.Problems);
        }

        return ChangeResult<ChainPreview>.Ok(new ChainPreview(chain!.Name, applicant, content!.SealId, [.. steps!]));
    }

    /// <summary>
    /// When an approver of the current (post-routed) step no longer holds the post in the step's unit (moved, post changed,
    /// deactivated), the step goes to whoever holds it there now, or one level up; recorded in the ledger and the step's notes.
    /// Returns the re-routed application, or null when nothing changed.
    /// </summary>
    public async Task<ApplicationRecord?> RerouteMovedAsync(ApplicationRecord application, long now, DbConnection connection, CancellationToken cancellationToken)
    {
        ApprovalState state = application.State;
        if (state.Status != ApplicationStatus.Pending)
        {
            return null;
        }

        ApprovalStep step = state.Steps[state.CurrentStep];
        ApprovalStep? replaced = step.IsCountersign ? await RerouteCountersignAsync(application, step, connection) : await ReroutePlainAsync(application, step, connection);
        if (replaced is null)
        {
            return null;
        }

        return await ReplaceCurrentStepAsync(application, replaced, "rerouted", now, connection, cancellationToken);
    }

    /// <summary>
    /// The current step goes to other people (<paramref name="replaced"/>, whose last note says why): committed like a decision
    /// (version guard, inbox rows, ledger entry <paramref name="label"/>) with a fresh due time. Null when someone changed the application meanwhile.
    /// </summary>
    internal async Task<ApplicationRecord?> ReplaceCurrentStepAsync(ApplicationRecord application, ApprovalStep replaced, string label, long now, DbConnection connection,
        CancellationToken cancellationToken)
    {
        ApprovalState state = application.State;
        List<ApprovalStep> steps = [.. state.Steps];
        steps[state.CurrentStep] = replaced;
        string note = replaced.Notes is { Count: > 0 } notes ? notes[^1] : label;
        ChangeResult<ApplicationView> result = await CommitAsync(application, RuleResult.Ok(state with { Steps = steps, Version = state.Version + 1 }), "system", label, note,
            null, connection, now, cancellationToken, restartsStep: true);
        logger.LogInformation("Application {Application} {Label}: {Note}", application.Id, label, note);
        return result.Status == ChangeStatus.Ok ? await ReadAsync(application.Id, connection, null) : null;
    }

    private async Task<ApprovalStep?> ReroutePlainAsync(ApplicationRecord application, ApprovalStep step, DbConnection connection)
    {
        if (step.UnitId is not { } unit || await chains.CurrentHoldersAsync(step, unit, application.Applicant, connection, null) is not { } holders)
        {
            return null;
        }

        // People who joined by escalation hold no post there: only the routed post holders can have moved away.
        IReadOnlyList<string> escalated = step.Escalated ?? [];
        List<string> gone = application.State.Holders.Where(a => !holders.Contains(a) && !escalated.Contains(a)).ToList();
        if (gone.Count == 0)
        {
            return null;
        }

        ApprovalStep? walked = await chains.WalkAsync(step.Name, step.Mode, step.Post, [], await chains.UpwardsFromAsync(unit, connection, null), application.Applicant, connection, null);
        if (walked is null)
        {
            return null; // nobody holds the post up to the root: the step stays, escalation takes it further
        }

        string note = $"{string.Join(", ", gone)} no longer hold {step.Post} in {unit}: step goes to {string.Join(", ", walked.Approvers)} of {walked.UnitId}";
        return walked with
        {
            Approvers = [.. walked.Approvers.Union(escalated, StringComparer.Ordinal)], Escalated = step.Escalated, EscalateTo = step.EscalateTo,
            Notes = [.. step.Notes ?? [], .. walked.Notes ?? [], note],
        };
    }

    private async Task<ApprovalStep?> RerouteCountersignAsync(ApplicationRecord application, ApprovalStep step, DbConnection connection)
    {
        var parts = new List<StepPart>();
        var notes = new List<string>();
        IReadOnlySet<string> signed = application.State.SignedParts(application.State.CurrentStep);
        foreach (StepPart part in step.Parts!)
        {
            IReadOnlyList<string>? holders = signed.Contains(part.UnitId) ? null : await chains.CurrentHoldersAsync(step, part.UnitId, application.Applicant, connection, null);
            if (holders is null || holders.Count == 0 || part.Approvers.All(a => holders.Contains(a) || (step.Escalated ?? []).Contains(a)))
            {
                parts.Add(part);
                continue;
            }

            parts.Add(part with { Approvers = [.. holders.Union(part.Approvers.Where(a => (step.Escalated ?? []).Contains(a)), StringComparer.Ordinal)] });
            notes.Add($"{string.Join(", ", part.Approvers.Where(a => !holders.Contains(a)))} no longer hold {step.Post} in {part.UnitId}: it signs through {string.Join(", ", holders)}");
        }

        return notes.Count == 0 ? null : step with
        {
            Parts = parts, Approvers = parts.SelectMany(p => p.Approvers).Distinct(StringComparer.Ordinal).ToList(), Notes = [.. step.Notes ?? [], .. notes],
        };
    }

    /// <summary>The ledger fields of a submission beyond the common ones: how routing went (vacant posts passed over) and an authorisation document.</summary>
    private static (string, string)[] RoutingFields(ApplicationRecord record)
    {
        var fields = new List<(string, string)>();
        string routing = string.Join("; ", record.State.Steps.SelectMany(s => s.Notes ?? []));
        if (routing.Length > 0)
        {
            fields.Add(("routing", routing));
        }

        if (record.Content.Authorisation is { } authorisation)
        {
            fields.Add(("authorisation", authorisation));
        }

        return [.. fields];
    }

    /// <param name="restartsStep">The current step starts afresh (it went to other people): a new due time.</param>
    private async Task<ChangeResult<ApplicationView>> CommitAsync(ApplicationRecord before, RuleResult result, string actor, string label, string? comment,
        ApplicationContent? newContent, DbConnection connection, long now, CancellationToken cancellationToken, bool restartsStep = false)
    {
        if (result.Outcome != RuleOutcome.Ok)
        {
            return Refused(result);
        }

        ApprovalState state = result.State!;
        bool newStep = state.Status == ApplicationStatus.Pending && (restartsStep || state.Round != before.State.Round || state.CurrentStep != before.State.CurrentStep);
        ApplicationContent content = newContent ?? before.Content;
        bool decided = state.Status is ApplicationStatus.Approved or ApplicationStatus.Rejected;
        ApplicationRecord after = before with
        {
            Content = content,
            State = state,
            StepDueMs = state.Status != ApplicationStatus.Pending ? null : newStep ? DueFrom(now, content.Urgency) : before.StepDueMs,
            DecidedMs = state.IsFinal ? now : null,
            LeadTimeMs = decided ? now - before.SubmittedMs : null,
            UpdatedMs = now,
        };

        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The version guard is the first write, so on SQLite the transaction takes the write lock before anything else.
        var parameters = new DynamicParameters(Row.Of(after));
        parameters.Add("expected", before.State.Version);
        int updated = await connection.ExecuteAsync(
            """
            UPDATE applications SET seal_id = @SealId, purpose = @Purpose, documents = @Documents, stamps = @Stamps, mode = @Mode, location = @Location,
                   window_from_ms = @WindowFromMs, window_to_ms = @WindowToMs, urgency = @Urgency, status = @Status, state = @State, version = @Version,
                   step_due_ms = @StepDueMs, decided_ms = @DecidedMs, lead_time_ms = @LeadTimeMs, updated_ms = @UpdatedMs,
                   category = @Category, amount = @Amount, authorisation = @Authorisation
            WHERE id = @Id AND version = @expected
            """,
            parameters, transaction);
        if (updated == 0)
        {
            return ChangeResult<ApplicationView>.Conflict($"application {before.Id} was changed by someone else meanwhile; reload and decide again");
        }

        await RewriteTasksAsync(after, connection, transaction);
        await LedgerAsync(after, actor, label, comment, now, connection, transaction, cancellationToken, stepOf: before.State);
        if (state.Status == ApplicationStatus.Approved)
        {
            foreach (IApprovalListener listener in approvalListeners)
            {
                await listener.OnApprovedAsync(after, connection, transaction, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.Transitions.Add(1, new KeyValuePair<string, object?>("decision", label));
        await notices.AfterChangeAsync(before, after, actor, cancellationToken);
        if (after.LeadTimeMs is { } leadTime)
        {
            metrics.LeadTime.Record(leadTime / 1000.0, new KeyValuePair<string, object?>("status", Kebab.Of(state.Status)));
        }

        return ChangeResult<ApplicationView>.Ok(ApplicationView.Of(after));
    }

    private static ChangeResult<ApplicationView> Refused(RuleResult result) => result.Outcome switch
    {
        RuleOutcome.Forbidden => ChangeResult<ApplicationView>.Forbidden(result.Error!),
        RuleOutcome.Invalid => ChangeResult<ApplicationView>.Invalid("comment", result.Error!),
        _ => ChangeResult<ApplicationView>.Conflict(result.Error!),
    };

    private long DueFrom(long nowMs, Urgency urgency) =>
        _calendar.Add(DateTimeOffset.FromUnixTimeMilliseconds(nowMs), urgency == Urgency.Urgent ? options.Value.UrgentStepTime : options.Value.NormalStepTime).ToUnixTimeMilliseconds();

    /// <summary>Closes the inbox rows nobody needs any more and opens one per approver who holds the application now.</summary>
    private static async Task RewriteTasksAsync(ApplicationRecord application, DbConnection connection, DbTransaction transaction)
    {
        IReadOnlyList<string> holders = application.State.Holders;
        var parameters = new DynamicParameters(new { application.Id, round = application.State.Round, step = application.State.CurrentStep });

        // Rows of earlier steps close too, even when the same person holds the next step (else they would stay in inboxes).
        await connection.ExecuteAsync(
            "UPDATE approval_tasks SET status = 'closed' WHERE application_id = @Id AND status = 'pending'"
            + (holders.Count > 0 ? " AND (round <> @round OR step <> @step OR approver NOT IN " + InList(parameters, "h", holders) + ")" : string.Empty),
            parameters, transaction);
        foreach (string approver in holders)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO approval_tasks (application_id, round, step, approver, status, urgency, due_ms, created_ms)
                VALUES (@Id, @round, @step, @approver, 'pending', @urgency, @due, @now)
                ON CONFLICT (application_id, round, step, approver) DO UPDATE SET status = 'pending', due_ms = @due
                """,
                new
                {
                    application.Id, round = application.State.Round, step = application.State.CurrentStep, approver,
                    urgency = Kebab.Of(application.Content.Urgency), due = application.StepDueMs ?? 0, now = application.UpdatedMs,
                },
                transaction);
        }
    }

    private async Task LedgerAsync(ApplicationRecord application, string actor, string decision, string? comment, long now, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken, ApprovalState? stepOf = null, (string, string)[]? details = null)
    {
        // The deciding person's unit and post as they are now, kept in the entry: the ledger prints them as they were.
        PersonCard? card = (await organisation.PeopleAsync([actor], connection, transaction, cancellationToken)).GetValueOrDefault(actor);
        LedgerEntry entry = StepLedgerEntry.Of(
            application, stepOf ?? application.State, actor, decision, $"app:{application.Id}:v{application.State.Version}", now,
            [("comment", comment ?? string.Empty), ("status", Kebab.Of(application.State.Status)), ("actorAtTime", card?.Label ?? actor), .. details ?? []]);
        await ledger.AppendAsync([entry], connection, transaction, cancellationToken);
    }

    /// <summary>The approvers whose rights <paramref name="actor"/> may use on this application now: themself and their delegators in force for its units.</summary>
    private async Task<HashSet<string>> ActsForAsync(string actor, ApplicationRecord application, long now, DbConnection connection)
    {
        string paths = string.Join("|", (await ApplicationUnitPathsAsync(application, connection)).Values);
        var result = new HashSet<string>(StringComparer.Ordinal) { actor };
        foreach ((string from, string? unit) in await organisation.DelegationsInForceAsync(connection, actor, now))
        {
            if (unit is null || paths.Contains("/" + unit + "/", StringComparison.Ordinal))
            {
                result.Add(from);
            }
        }

        // A step handed to the actor (StepDelegations): for that application's current step only.
        result.UnionWith(await connection.QueryAsync<string>(
            "SELECT from_login FROM step_delegations WHERE to_login = @actor AND application_id = @Id AND round = @round AND step = @step",
            new { actor, application.Id, round = application.State.Round, step = application.State.CurrentStep }));
        return result;
    }

    /// <summary>"(@a0,@a1,...)" with the values added to <paramref name="parameters"/> (Dapper passes lists to PostgreSQL as arrays, which IN does not take).</summary>
    private static string InList(DynamicParameters parameters, string prefix, IReadOnlyList<string> values)
    {
        var names = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i;
            parameters.Add(prefix + i, values[i]);
        }

        return "(" + string.Join(",", names) + ")";
    }

    private async Task<IEnumerable<string>> DelegatorsAsync(string actor, long now, DbConnection connection) =>
        (await organisation.DelegationsInForceAsync(connection, actor, now)).Select(d => d.FromLogin).Distinct(StringComparer.Ordinal);

    /// <summary>The paths of the application's two units: the applicant's and the seal's (whose line its approvers and delegations stand on).</summary>
    internal async Task<IReadOnlyDictionary<string, string>> ApplicationUnitPathsAsync(ApplicationRecord application, DbConnection connection)
    {
        List<string> units = [application.ApplicantUnit];
        if (await sealDirectory.FindAsync(connection, null, application.Content.SealId) is { } seal)
        {
            units.Add(seal.UnitId);
        }

        return await organisation.UnitPathsAsync(connection, null, units);
    }

    /// <summary>The stored application, for the orchestration that acts on approved ones.</summary>
    public static async Task<ApplicationRecord?> ReadAsync(string id, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM applications WHERE id = @id", new { id }, transaction))?.ToRecord();

    /// <summary>Several applications in one query (ingest batches look up the applications behind their tokens at once).</summary>
    public static async Task<IReadOnlyList<ApplicationRecord>> ReadManyAsync(IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction)
    {
        List<Row> rows = await Storage.SqlList.QueryInChunksAsync<Row>(connection, $"SELECT {Columns} FROM applications WHERE id IN {{values}}", ids, transaction: transaction);
        return rows.ConvertAll(row => row.ToRecord());
    }

    private sealed class InboxRow
    {
        public string ApplicationId { get; set; } = "";

        public string Applicant { get; set; } = "";

        public string SealId { get; set; } = "";

        public string Purpose { get; set; } = "";

        public long Stamps { get; set; }

        public string Mode { get; set; } = "";

        public string Urgency { get; set; } = "";

        public string State { get; set; } = "";

        public long Step { get; set; }

        public string Approver { get; set; } = "";

        public long DueMs { get; set; }

        public long SubmittedMs { get; set; }

        public long Version { get; set; }

        public InboxItem ToItem(long now) => new(ApplicationId, Applicant, SealId, Purpose, (int)Stamps, Kebab.Parse<ApplicationMode>(Mode), Kebab.Parse<Urgency>(Urgency),
            ApplicationJson.Read<ApprovalState>(State).Steps[(int)Step].Name, Approver, DueMs, DueMs < now, SubmittedMs, Version);
    }

    /// <summary>The applications row, both ways (Dapper hands SQLite integers back as Int64).</summary>
    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Applicant { get; set; } = "";

        public string ApplicantUnit { get; set; } = "";

        public string SealId { get; set; } = "";

        public string Purpose { get; set; } = "";

        public string Documents { get; set; } = "";

        public long Stamps { get; set; }

        public string Mode { get; set; } = "";

        public string? Location { get; set; }

        public long WindowFromMs { get; set; }

        public long WindowToMs { get; set; }

        public string Urgency { get; set; } = "";

        public string Chain { get; set; } = "";

        public string Status { get; set; } = "";

        public string State { get; set; } = "";

        public long Version { get; set; }

        public long SubmittedMs { get; set; }

        public long? StepDueMs { get; set; }

        public long? DecidedMs { get; set; }

        public long? LeadTimeMs { get; set; }

        public long UpdatedMs { get; set; }

        public string? Category { get; set; }

        public long? Amount { get; set; }

        public string? Authorisation { get; set; }

        public static Row Of(ApplicationRecord a) => new()
        {
            Id = a.Id, Applicant = a.Applicant, ApplicantUnit = a.ApplicantUnit, SealId = a.Content.SealId, Purpose = a.Content.Purpose,
            Documents = ApplicationJson.Write(a.Content.Documents), Stamps = a.Content.Stamps, Mode = Kebab.Of(a.Content.Mode),
            Location = a.Content.Location is null ? null : ApplicationJson.Write(a.Content.Location), WindowFromMs = a.Content.WindowFromMs,
            WindowToMs = a.Content.WindowToMs, Urgency = Kebab.Of(a.Content.Urgency), Chain = a.Chain, Status = Kebab.Of(a.State.Status),
            State = ApplicationJson.Write(a.State), Version = a.State.Version, SubmittedMs = a.SubmittedMs, StepDueMs = a.StepDueMs,
            DecidedMs = a.DecidedMs, LeadTimeMs = a.LeadTimeMs, UpdatedMs = a.UpdatedMs, Category = a.Content.Category, Amount = a.Content.Amount,
            Authorisation = a.Content.Authorisation,
        };

        public ApplicationRecord ToRecord() => new(Id, Applicant, ApplicantUnit,
            new ApplicationContent(SealId, Purpose, ApplicationJson.Read<ApplicationDocument[]>(Documents), (int)Stamps, Kebab.Parse<ApplicationMode>(Mode),
                Location is null ? null : ApplicationJson.Read<LocationLimit>(Location), WindowFromMs, WindowToMs, Kebab.Parse<Urgency>(Urgency), Category, Amount, Authorisation),
            Chain, ApplicationJson.Read<ApprovalState>(State), SubmittedMs, StepDueMs, DecidedMs, LeadTimeMs, UpdatedMs);
    }
}
