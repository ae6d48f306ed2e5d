using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// What devices report about themselves: battery level, their own alarms (raised and cleared by
/// the device) and tamper switches. (The acknowledgement of a desired state is Commands'
/// <c>DesiredStateAckHandler</c>.)
/// </summary>
public sealed class DeviceReportHandler(AlarmService alarms, DeviceRepository devices) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, BatteryBody battery) in batch.Stored<BatteryBody>())
        {
            await devices.SetBatteryAsync(item.DeviceId!, battery.Percent, batch.Connection!, batch.Transaction!);
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
    }
}
