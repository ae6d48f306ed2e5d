using System.Data.Common;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Nothing is dropped silently: every refused message — untrusted (<see cref="IngestOutcome.Refused"/>)
/// or authentic but unbound (<see cref="IngestOutcome.Unbound"/>) — is recorded with its reason (topic,
/// device, size — not its payload, which may be hostile), logged, and security-relevant refusals
/// (forged, cross-device, unknown device, unbound seal or token) raise an alarm on the device that
/// sent them (<see cref="IngestItem.SenderId"/>: a publish into another device's topic alarms the
/// publisher, not the device whose topic it tried). A
/// throttled device gets a rate-limited alarm. A flood from one source is bounded: the first
/// <see cref="RecordedPerSourcePerBatch"/> refusals per device (or per unknown sender) of a batch are
/// recorded one by one, the rest as one summary row with their count.
/// </summary>
public sealed class RefusalHandler(Database database, AlarmService alarms, ILogger<RefusalHandler> logger) : IIngestHandler
{
    public const int RecordedPerSourcePerBatch = 20;

    /// <summary>The summary row's reason for unbound events beyond the per-batch rows (they are stored too).</summary>
    public const string FloodUnbound = "flood-unbound";

    public IngestStage Stage => IngestStage.AfterCommit;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        List<IngestItem> refused = batch.Items.Where(i => i.Outcome is IngestOutcome.Refused or IngestOutcome.Unbound).ToList();
        List<string> throttled = batch.Where(IngestOutcome.Throttled).Select(i => i.DeviceId!).Distinct().ToList();
        if (refused.Count == 0 && throttled.Count == 0)
        {
            return;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        // Untrusted and unbound refusals are summed apart: an unbound event is also in device_messages.
        foreach (IGrouping<(string Sender, IngestOutcome Outcome), IngestItem> source in refused.GroupBy(i => (i.SenderId ?? "?", i.Outcome)))
        {
            List<IngestItem> items = source.ToList();
            foreach (IngestItem item in items.Take(RecordedPerSourcePerBatch))
            {
                logger.LogWarning("Refused device message on {Topic} ({Bytes} bytes): {Reason} {Detail}", item.Message.Topic, item.Message.Payload.Length, item.Reason, item.Detail);
                await IngestStore.RecordRefusalAsync(connection, null, item.SenderId, item.Message.Topic, item.Reason, Truncate(item.Detail), item.Message.Payload.Length, batch.ServerMs);
            }

            if (items.Count > RecordedPerSourcePerBatch)
            {
                int more = items.Count - RecordedPerSourcePerBatch;
                logger.LogWarning("Refused {More} more messages from {Source} in one batch (flood); recorded as one summary", more, source.Key.Sender);
                await IngestStore.RecordRefusalAsync(connection, null, items[0].SenderId, items[0].Message.Topic, source.Key.Outcome == IngestOutcome.Unbound ? FloodUnbound : "flood", $"{more} more refused messages in this batch", items.Skip(RecordedPerSourcePerBatch).Sum(i => i.Message.Payload.Length), batch.ServerMs);
            }
        }

        foreach (IGrouping<(string Sender, string Type), IngestItem> group in refused.Where(i => i.SecurityRelevant && i.SenderId != null).GroupBy(i => (i.SenderId!, AlarmTypeOf(i))))
        {
            IngestItem first = group.First();
            await alarms.RaiseAsync(group.Key.Sender, group.Key.Type, 0, $"{group.Count()} refused: {first.Reason} {Truncate(first.Detail)}", connection, cancellationToken: cancellationToken);
        }

        foreach (string device in throttled)
        {
            logger.LogWarning("Device {Device} is over its message rate; messages are not acknowledged and will be resent", device);
            await alarms.RaiseAsync(device, AlarmTypes.RateLimited, 0, "over the per-device message rate", connection, cancellationToken: cancellationToken);
        }
    }

    private static string AlarmTypeOf(IngestItem item) =>
        item.AlarmType ?? (item.Reason == "unknown-device" ? AlarmTypes.UnknownDevice : AlarmTypes.ForgedMessage);

    private static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] : text;
}
