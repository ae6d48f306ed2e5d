using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>A step handed to a colleague, as the timeline shows it.</summary>
public sealed record StepDelegationView(long Id, string ApplicationId, int Round, int Step, string From, string To, string? Reason, long AtMs);

/// <summary>
/// An approver who holds the current step of an application hands that one step to a colleague
/// (转办): the colleague sees it in their inbox and may decide it for them (the vote counts for the
/// approver, the timeline says who acted). Unlike the period delegations of <c>Organisation/</c>
/// (all of someone's approvals while they are away), this concerns one step only and ends with it.
/// The colleague must be an active approver of a unit of the application's tree or above it.
/// </summary>
public sealed class StepDelegations(Database database, ApplicationService applications, OrgStore orgStore, OrgDirectory organisation, LedgerService ledger, TimeProvider time)
{
    public const int MaxReason = 200;

    public async Task<ChangeResult<StepDelegationView>> DelegateAsync(string applicationId, string actor, string? toLogin, string? reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(toLogin))
        {
            return ChangeResult<StepDelegationView>.Invalid("toLogin", "is required: the colleague who decides the step");
        }

        if (reason?.Length > MaxReason)
        {
            return ChangeResult<StepDelegationView>.Invalid("reason", $"at most {MaxReason} characters");
        }

        toLogin = toLogin.Trim();
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        ApplicationRecord? application = await ApplicationService.ReadAsync(applicationId, connection, null);
        if (application is null)
        {
            return ChangeResult<StepDelegationView>.NotFound($"no application {applicationId}");
        }

        ApprovalState state = application.State;
        if (state.Status != ApplicationStatus.Pending || !state.Holders.Contains(actor))
        {
            return ChangeResult<StepDelegationView>.Forbidden($"{actor} does not hold the current step of application {applicationId}");
        }

        if (toLogin == actor || state.Steps[state.CurrentStep].Approvers.Contains(toLogin) || toLogin == application.Applicant)
        {
            return ChangeResult<StepDelegationView>.Invalid("toLogin", "must be a colleague who is neither the applicant nor an approver of this step already");
        }

        if (!await IsApproverOnLineAsync(toLogin, application, connection, cancellationToken))
        {
            return ChangeResult<StepDelegationView>.Invalid("toLogin", $"{toLogin} is no active approver in the application's units");
        }

        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long? id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO step_delegations (application_id, round, step, from_login, to_login, reason, at_ms)
            VALUES (@applicationId, @Round, @CurrentStep, @actor, @toLogin, @reason, @now)
            ON CONFLICT (application_id, round, step, from_login) DO NOTHING RETURNING id
            """,
            new { applicationId, state.Round, state.CurrentStep, actor, toLogin, reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), now }, transaction);
        if (id is null)
        {
            return ChangeResult<StepDelegationView>.Conflict($"{actor} already handed this step of application {applicationId} to someone");
        }

        await ledger.AppendAsync(
            [StepLedgerEntry.Of(application, state, actor, "delegated", $"app:{applicationId}:delegate:{id}", now, ("to", toLogin), ("comment", reason ?? string.Empty))],
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<StepDelegationView>.Ok(new StepDelegationView(id.Value, applicationId, state.Round, state.CurrentStep, actor, toLogin, reason, now));
    }

    /// <summary>Whether <paramref name="login"/> is an active approver of a unit on the line (above or below) of the applicant's or the seal's unit.</summary>
    private async Task<bool> IsApproverOnLineAsync(string login, ApplicationRecord application, DbConnection connection, CancellationToken cancellationToken)
    {
        string[] approverUnits = (await orgStore.RolesOfAsync(login, cancellationToken)).Where(r => r.Role == Roles.Approver).Select(r => r.UnitId).ToArray();
        if (approverUnits.Length == 0 || await organisation.ActiveUserAsync(connection, null, login) is null)
        {
            return false;
        }

        IReadOnlyDictionary<string, string> applicationPaths = await applications.ApplicationUnitPathsAsync(application, connection);
        IReadOnlyDictionary<string, string> approverPaths = await organisation.UnitPathsAsync(connection, null, approverUnits);
        return approverPaths.Values.Any(approverPath => applicationPaths.Values.Any(path => UnitSubtree.OnSameLine(path, approverPath)));
    }

    public async Task<IReadOnlyList<StepDelegationView>> ListAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(long Id, long Round, long Step, string From, string To, string? Reason, long AtMs)>(
                "SELECT id, round, step, from_login, to_login, reason, at_ms FROM step_delegations WHERE application_id = @applicationId ORDER BY at_ms",
                new { applicationId }))
            .Select(r => new StepDelegationView(r.Id, applicationId, (int)r.Round, (int)r.Step, r.From, r.To, r.Reason, r.AtMs))
            .ToList();
    }

    /// <summary>
    /// SQL: the pending inbox rows of the approvers in <paramref name="inApprovers"/> plus those handed
    /// to <c>@{me}</c> — a UNION, so each half uses its own index (an OR would scan every pending row).
    /// </summary>
    public static string PendingTasks(string inApprovers, string me) =>
        $"""
        SELECT application_id, round, step, approver, urgency, due_ms FROM approval_tasks WHERE approver IN {inApprovers} AND status = 'pending'
        UNION
        SELECT pt.application_id, pt.round, pt.step, pt.approver, pt.urgency, pt.due_ms FROM step_delegations sd
        JOIN approval_tasks pt ON pt.application_id = sd.application_id AND pt.round = sd.round AND pt.step = sd.step AND pt.approver = sd.from_login
        WHERE sd.to_login = @{me} AND pt.status = 'pending'
        """;
}
