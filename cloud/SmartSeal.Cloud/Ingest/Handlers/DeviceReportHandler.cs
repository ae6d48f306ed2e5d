using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// What devices report about themselves: battery level, their own alarms (raised and cleared by
/// the device), tamper switches, and the acknowledgement of a desired state.
/// </summary>
public sealed class DeviceReportHandler(AlarmService alarms, Ledger.LedgerService ledger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, BatteryBody battery) in batch.Stored<BatteryBody>())
        {
            await batch.Connection!.ExecuteAsync(
                "UPDATE devices SET battery_percent = @Percent WHERE id = @Id",
                new { battery.Percent, Id = item.DeviceId },
                batch.Transaction);
        }

        foreach ((IngestItem item, AlarmBody alarm) in batch.Stored<AlarmBody>())
        {
            string type = AlarmTypes.Of(alarm.Alarm);
            if (alarm.Active)
            {
                await alarms.RaiseAsync(item.DeviceId!, type, alarm.Compartment, alarm.Detail, batch.Connection, batch.Transaction, cancellationToken);
            }
            else
            {
                await alarms.ClearAsync(item.DeviceId!, type, alarm.Compartment, "device", alarm.Detail, batch.Connection, batch.Transaction, cancellationToken);
            }
        }

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
                    [Commands.RemoteStateLedger.Applied(item.DeviceId!, applied.Enabled, applied.Version, changed, batch.ServerMs, $"evt:{item.DeviceId}:{item.Envelope.Seq}")],
                    batch.Connection!, batch.Transaction!, cancellationToken);
            }
        }
    }
}
