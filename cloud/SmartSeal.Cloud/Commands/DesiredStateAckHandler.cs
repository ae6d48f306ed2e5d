using Dapper;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// A device's acknowledgement of its desired state (<c>state-applied</c>): records the version it
/// applied and, for a remote disable/enable, ledgers the acknowledgement once with the time it
/// took — in the ingest batch's transaction, so the record and its ledger entry commit together.
/// </summary>
public sealed class DesiredStateAckHandler(LedgerService ledger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, StateAppliedBody applied) in batch.Stored<StateAppliedBody>())
        {
            await batch.Connection!.ExecuteAsync(
                """
                UPDATE desired_states SET applied_version = @Version, applied_ms = @Now
                WHERE device_id = @Id AND applied_version < @Version
                """,
                new { applied.Version, Now = batch.ServerMs, Id = item.DeviceId },
                batch.Transaction);

            // The acknowledgement of a remote disable/enable: ledgered once, with the time it took.
            long? changedMs = await batch.Connection!.ExecuteScalarAsync<long?>(
                """
                UPDATE desired_states SET flag_applied_ms = @Now
                WHERE device_id = @Id AND flag_version IS NOT NULL AND flag_version <= @Version AND flag_applied_ms IS NULL AND enabled = @Enabled
                RETURNING flag_changed_ms
                """,
                new { applied.Version, applied.Enabled, Now = batch.ServerMs, Id = item.DeviceId },
                batch.Transaction);
            if (changedMs is { } changed)
            {
                await ledger.AppendAsync(
                    [RemoteStateLedger.Applied(item.DeviceId!, applied.Enabled, applied.Version, changed, batch.ServerMs, $"evt:{item.DeviceId}:{item.Envelope.Seq}")],
                    batch.Connection!, batch.Transaction!, cancellationToken);
            }
        }
    }
}
