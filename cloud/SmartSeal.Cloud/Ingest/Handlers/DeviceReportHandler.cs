using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// What devices report about themselves: battery level, their own alarms (raised and cleared by
/// the device), tamper switches, and the acknowledgement of a desired state.
/// </summary>
public sealed class DeviceReportHandler(AlarmService alarms) : IIngestHandler
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
        }
    }
}
