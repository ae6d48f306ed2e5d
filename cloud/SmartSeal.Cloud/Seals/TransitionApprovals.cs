using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>A lifecycle action waiting for (or given) its second pair of eyes.</summary>
public sealed record SealTransitionRequest(long Id, string SealId, string Action, string? Reason, string? RfidTag, string RequestedBy, long RequestedMs,
    string Status, string? DecidedBy, long? DecidedMs, string? Comment);

/// <summary>
/// Four eyes on the lifecycle actions policy names (<see cref="SealOptions.TransitionsNeedingApproval"/>):
/// a keeper's request is checked as the action itself would be, recorded and ledgered; it applies
/// only when another keeper or sysadmin of the seal's unit approves — never its requester — and
/// the ledger entry of the transition then names both.
/// </summary>
public sealed class TransitionApprovals(Database database, SealRegistry seals, LedgerService ledger, IOptions<SealOptions> options, TimeProvider time)
{
    private const string Columns = """
        id AS Id, seal_id AS SealId, action AS Action, reason AS Reason, rfid_tag AS RfidTag, requested_by AS RequestedBy, requested_ms AS RequestedMs,
        status AS Status, decided_by AS DecidedBy, decided_ms AS DecidedMs, comment AS Comment
        """;

    public bool NeedsApproval(SealAction action) => options.Value.TransitionsNeedingApproval.Contains(Kebab.Of(action), StringComparer.Ordinal);

    public async Task<ChangeResult<SealTransitionRequest>> RequestAsync(string sealId, SealAction action, string? reason, string? rfidTag, CallerScope requester, CancellationToken cancellationToken = default)
    {
        if (SealLifecycle.NeedsReason(action) && string.IsNullOrWhiteSpace(reason))
        {
            return ChangeResult<SealTransitionRequest>.Invalid("reason", $"is required to {Kebab.Of(action)} a seal");
        }

        if (await seals.FindAsync(sealId, requester, cancellationToken) is not { } seal)
        {
            return ChangeResult<SealTransitionRequest>.NotFound($"no seal {sealId}");
        }

        if (!await seals.InScopeAsync(seal.UnitId, requester, writing: true, cancellationToken))
        {
            return ChangeResult<SealTransitionRequest>.Forbidden($"{requester.Actor} is not a keeper of {seal.UnitId}");
        }

        if (SealLifecycle.Next(seal.State, action) is null)
        {
            return ChangeResult<SealTransitionRequest>.Conflict($"seal {sealId} is {Kebab.Of(seal.State)}: cannot {Kebab.Of(action)}; allowed: {string.Join(", ", seal.AllowedActions.Select(Kebab.Of))}");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>("SELECT id FROM seal_transition_requests WHERE seal_id = @sealId AND status = 'pending'", new { sealId }, transaction) is { } open)
        {
            return ChangeResult<SealTransitionRequest>.Conflict($"seal {sealId} already has request {open} waiting for approval");
        }

        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO seal_transition_requests (seal_id, action, reason, rfid_tag, requested_by, requested_ms, status)
            VALUES (@sealId, @action, @reason, @rfidTag, @actor, @now, 'pending') RETURNING id
            """,
            new { sealId, action = Kebab.Of(action), reason, rfidTag, actor = requester.Actor, now }, transaction);
        await ledger.AppendAsync([Entry(sealId, requester.Actor, now, "requested", Kebab.Of(action), id, reason)], connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<SealTransitionRequest>.Ok((await FindAsync(id, cancellationToken))!);
    }

    public async Task<IReadOnlyList<SealTransitionRequest>> ListAsync(string sealId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SealTransitionRequest>($"SELECT {Columns} FROM seal_transition_requests WHERE seal_id = @sealId ORDER BY id DESC", new { sealId })).AsList();
    }

    /// <summary>Approves (applies the action) or rejects a pending request.</summary>
    public async Task<ChangeResult<SealTransitionRequest>> DecideAsync(string sealId, long requestId, bool approve, string? comment, CallerScope decider, CancellationToken cancellationToken = default)
    {
        SealTransitionRequest? request = await FindAsync(requestId, cancellationToken);
        if (request is null || request.SealId != sealId || await seals.FindAsync(sealId, decider, cancellationToken) is not { } seal)
        {
            return ChangeResult<SealTransitionRequest>.NotFound($"no request {requestId} for seal {sealId}");
        }

        if (request.Status != "pending")
        {
            return ChangeResult<SealTransitionRequest>.Conflict($"request {requestId} was already {request.Status} by {request.DecidedBy}");
        }

        if (request.RequestedBy == decider.Actor)
        {
            return ChangeResult<SealTransitionRequest>.Forbidden($"{decider.Actor} requested it: someone else must decide (four eyes)");
        }

        if (!await seals.InScopeAsync(seal.UnitId, decider, writing: true, cancellationToken))
        {
            return ChangeResult<SealTransitionRequest>.Forbidden($"{decider.Actor} is not a keeper of {seal.UnitId}");
        }

        if (!approve && string.IsNullOrWhiteSpace(comment))
        {
            return ChangeResult<SealTransitionRequest>.Invalid("comment", "is required to reject a request");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        int claimed = await connection.ExecuteAsync(
            "UPDATE seal_transition_requests SET status = @status, decided_by = @actor, decided_ms = @now, comment = @comment WHERE id = @requestId AND status = 'pending'",
            new { status = approve ? "approved" : "rejected", actor = decider.Actor, now, comment, requestId });
        if (claimed == 0)
        {
            return ChangeResult<SealTransitionRequest>.Conflict($"request {requestId} was decided by someone else meanwhile");
        }

        if (approve)
        {
            ChangeResult<Seal> applied = await seals.TransitionAsync(sealId, Kebab.Parse<SealAction>(request.Action), request.Reason, request.RfidTag, decider, request.RequestedBy, cancellationToken);
            if (applied.Status != ChangeStatus.Ok)
            {
                // The seal moved on since the request (another action won): the request cannot apply.
                await connection.ExecuteAsync("UPDATE seal_transition_requests SET status = 'pending', decided_by = NULL, decided_ms = NULL, comment = NULL WHERE id = @requestId", new { requestId });
                return new ChangeResult<SealTransitionRequest>(applied.Status, Error: applied.Error, Problems: applied.Problems);
            }
        }
        else
        {
            await ledger.AppendAsync([Entry(sealId, decider.Actor, now, "rejected", request.Action, requestId, comment)], cancellationToken);
        }

        return ChangeResult<SealTransitionRequest>.Ok((await FindAsync(requestId, cancellationToken))!);
    }

    private async Task<SealTransitionRequest?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SealTransitionRequest>($"SELECT {Columns} FROM seal_transition_requests WHERE id = @id", new { id });
    }

    private static LedgerEntry Entry(string sealId, string actor, long now, string decision, string action, long requestId, string? text) => new()
    {
        SealId = sealId, Kind = SealLedgerKinds.LifecycleRequest, AtMs = now, Actor = actor,
        Fields = new Dictionary<string, string> { ["decision"] = decision, ["action"] = action, ["request"] = requestId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["text"] = text ?? string.Empty },
    };
}
