using Dapper;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Online/offline from the devices' signed status messages (the offline one is the last will).
/// Ordered by device time, so a late last will never marks a reconnected device offline.
/// </summary>
public sealed class PresenceHandler : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach (IngestItem item in batch.Items.Where(i => i.Outcome == IngestOutcome.Presence && i.Body is StatusBody))
        {
            var status = (StatusBody)item.Body!;
            await batch.Connection!.ExecuteAsync(
                """
                UPDATE devices SET online = @Online, status_ms = @DeviceMs, status_reason = @Reason,
                    firmware = COALESCE(@Firmware, firmware)
                WHERE id = @Id AND status_ms <= @DeviceMs
                """,
                new { status.Online, DeviceMs = item.Envelope.Time, status.Reason, status.Firmware, Id = item.DeviceId },
                batch.Transaction);
        }

        // Last seen: any trusted message shows the device is alive (server time).
        foreach (string device in batch.Items.Where(i => i.Outcome is IngestOutcome.Stored or IngestOutcome.Duplicate or IngestOutcome.Presence).Select(i => i.DeviceId!).Distinct())
        {
            await batch.Connection!.ExecuteAsync(
                "UPDATE devices SET last_seen_ms = @Now WHERE id = @Id AND last_seen_ms < @Now",
                new { Now = batch.ServerMs, Id = device },
                batch.Transaction);
        }
    }
}
