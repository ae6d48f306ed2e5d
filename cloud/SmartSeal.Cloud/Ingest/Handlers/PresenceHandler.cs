using Dapper;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Online/offline from the devices' signed status messages (the offline one is the last will).
/// Ordered by device time, so a late last will never marks a reconnected device offline.
/// (Last seen is set by <see cref="StoreHandler"/>, which locks the batch's devices first.)
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
    }
}
