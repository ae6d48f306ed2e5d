using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Nothing is dropped silently: every refused message is recorded with its reason (topic,
/// device, size — not its payload, which may be hostile), logged, and security-relevant refusals
/// (forged, cross-device, unknown device) raise an alarm on the device they claim to be. A
/// throttled device gets a rate-limited alarm.
/// </summary>
public sealed class RefusalHandler(Database database, AlarmService alarms, ILogger<RefusalHandler> logger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.AfterCommit;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        List<IngestItem> refused = batch.Where(IngestOutcome.Refused).ToList();
        List<string> throttled = batch.Where(IngestOutcome.Throttled).Select(i => i.DeviceId!).Distinct().ToList();
        if (refused.Count == 0 && throttled.Count == 0)
        {
            return;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        foreach (IngestItem item in refused)
        {
            logger.LogWarning("Refused device message on {Topic} ({Bytes} bytes): {Reason} {Detail}", item.Message.Topic, item.Message.Payload.Length, item.Reason, item.Detail);
            await connection.ExecuteAsync(
                "INSERT INTO refused_messages (device_id, topic, reason, detail, bytes, server_ms) VALUES (@DeviceId, @Topic, @Reason, @Detail, @Bytes, @Now)",
                new { item.DeviceId, item.Message.Topic, item.Reason, Detail = Truncate(item.Detail), Bytes = item.Message.Payload.Length, Now = batch.ServerMs });
        }

        foreach (IGrouping<string, IngestItem> group in refused.Where(i => i.SecurityRelevant && i.DeviceId != null).GroupBy(i => i.DeviceId!))
        {
            IngestItem first = group.First();
            string type = first.Reason == "unknown-device" ? AlarmTypes.UnknownDevice : AlarmTypes.ForgedMessage;
            await alarms.RaiseAsync(group.Key, type, 0, $"{group.Count()} refused: {first.Reason} {Truncate(first.Detail)}", connection, cancellationToken: cancellationToken);
        }

        foreach (string device in throttled)
        {
            logger.LogWarning("Device {Device} is over its message rate; messages are not acknowledged and will be resent", device);
            await alarms.RaiseAsync(device, AlarmTypes.RateLimited, 0, "over the per-device message rate", connection, cancellationToken: cancellationToken);
        }
    }

    private static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] : text;
}
