using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// Remote disable (or enable) of a seal, a state of the seal kept in <c>seal_holds</c>: while held
/// it is neither dispensed nor bound (Checkouts asks <see cref="HeldReasonAsync"/> first), and the
/// portable lock carrying it — the register's location when it is in a lock — is disabled at once
/// through <see cref="DesiredStateService"/> (signed set-state command and retained desired state:
/// applied on reconnect before anything else if the lock is offline). Ledgered on the seal's chain.
/// </summary>
public sealed class SealHolds(Database database, DesiredStateService desiredStates, LedgerService ledger, TimeProvider time)
{
    public async Task<ChangeResult<SealHold>> SetEnabledAsync(string sealId, bool enabled, string reason, string actor, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string? lockId;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            HeldSeal? seal = await connection.QuerySingleOrDefaultAsync<HeldSeal>(
                "SELECT state AS State, location_kind AS LocationKind, location_ref AS LocationRef FROM seals WHERE id = @sealId", new { sealId }, transaction);
            if (seal is null)
            {
                return ChangeResult<SealHold>.NotFound($"no seal {sealId}");
            }

            if (!enabled && seal.State is "revoked" or "destroyed")
            {
                return ChangeResult<SealHold>.Conflict($"seal {sealId} is {seal.State}: there is nothing left to disable");
            }

            int changed = enabled
                ? await connection.ExecuteAsync("DELETE FROM seal_holds WHERE seal_id = @sealId", new { sealId }, transaction)
                : await connection.ExecuteAsync(
                    "INSERT INTO seal_holds (seal_id, since_ms, held_by, reason) VALUES (@sealId, @now, @actor, @reason) ON CONFLICT (seal_id) DO NOTHING",
                    new { sealId, now, actor, reason }, transaction);
            lockId = seal.LocationKind == "lock" ? seal.LocationRef : null;
            if (changed > 0)
            {
                string where = lockId ?? seal.LocationKind + (seal.LocationRef is null ? string.Empty : " " + seal.LocationRef);
                string action = enabled ? "enable" : "disable";
                await ledger.AppendAsync([new LedgerEntry
                {
                    SealId = sealId, Kind = LedgerKinds.Custody, AtMs = now, Actor = actor,
                    Fields = new Dictionary<string, string> { ["action"] = action, ["where"] = where, ["reason"] = reason },
                }], connection, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        RemoteStateResponse? lockState = null;
        if (lockId != null)
        {
            DesiredStateResult result = await desiredStates.SetEnabledAsync(lockId, enabled, $"seal {sealId}: {reason}", actor, cancellationToken: cancellationToken);
            if (result.State is { } state)
            {
                lockState = new RemoteStateResponse(DesiredStateView.Of(lockId, state), result.Command);
            }
        }

        return ChangeResult<SealHold>.Ok(new SealHold(sealId, !enabled, now, actor, reason, lockId, lockState));
    }

    /// <summary>Why the seal is disabled remotely, or null when it is not; read in the caller's transaction.</summary>
    public static Task<string?> HeldReasonAsync(string sealId, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<string>("SELECT reason FROM seal_holds WHERE seal_id = @sealId", new { sealId }, transaction);

    /// <summary>What a hold needs of the register: whether the seal still exists in use, and where it is.</summary>
    private sealed class HeldSeal
    {
        public string State { get; set; } = "";

        public string LocationKind { get; set; } = "";

        public string? LocationRef { get; set; }
    }
}
