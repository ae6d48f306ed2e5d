using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Online/offline from the devices' signed status messages (the offline one is the last will).
/// Ordered by device time, so a late last will never marks a reconnected device offline.
/// (Last seen is set by <see cref="StoreHandler"/>, which locks the batch's devices first.)
/// </summary>
public sealed class PresenceHandler(DeviceRepository devices) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var reports = new List<PresenceReport>();
        foreach (IngestItem item in batch.Items.Where(i => i.Outcome == IngestOutcome.Presence && i.Body is StatusBody))
        {
            var status = (StatusBody)item.Body!;
            reports.Add(new PresenceReport(item.DeviceId!, status.Online, item.Envelope.Time, status.Reason, status.Firmware));
        }

        if (reports.Count > 0)
        {
            await devices.SetPresenceAsync(reports, batch.Connection!, batch.Transaction!);
        }
    }
}
