using System.Text;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Opens the batch transaction and records every trusted message with a seq exactly once:
/// <c>INSERT ... ON CONFLICT (device_id, seq) DO NOTHING</c> decides between first delivery
/// (stored) and redelivery (duplicate), across retries and across cloud instances.
/// </summary>
public sealed class StoreHandler(Database database) : IIngestHandler
{
    private const string Insert = """
        INSERT INTO device_messages (device_id, seq, type, topic, device_ms, server_ms, body)
        VALUES (@DeviceId, @Seq, @Type, @Topic, @DeviceMs, @ServerMs, @Body)
        ON CONFLICT (device_id, seq) DO NOTHING
        """;

    /// <summary>Always writes the row (unlike a conditional update), so the row is locked on PostgreSQL.</summary>
    private const string TouchDevice = """
        UPDATE devices SET last_seen_ms = CASE WHEN last_seen_ms < @Now THEN @Now ELSE last_seen_ms END WHERE id = @Id
        """;

    public IngestStage Stage => IngestStage.Store;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        batch.Connection = await database.OpenAsync(cancellationToken);
        batch.Transaction = await batch.Connection.BeginTransactionAsync(cancellationToken);

        // Last seen (server time) for every device with a trusted message, first and in id order:
        // this takes the batch's device rows in one global order, so batches of two cloud
        // instances that share devices queue behind each other instead of deadlocking.
        string[] devices = batch.Items.Where(i => i.Outcome == IngestOutcome.Pending).Select(i => i.DeviceId!).Distinct().Order(StringComparer.Ordinal).ToArray();
        await batch.Connection.ExecuteAsync(TouchDevice, devices.Select(id => new { Id = id, Now = batch.ServerMs }), batch.Transaction);
        foreach (IngestItem item in batch.Items)
        {
            if (item.Outcome != IngestOutcome.Pending)
            {
                continue;
            }

            if (item.Envelope.Seq == 0)
            {
                item.Outcome = IngestOutcome.Presence;
                continue;
            }

            int rows = await batch.Connection.ExecuteAsync(
                Insert,
                new
                {
                    item.DeviceId,
                    item.Envelope.Seq,
                    item.Envelope.Type,
                    item.Message.Topic,
                    DeviceMs = item.Envelope.Time,
                    ServerMs = batch.ServerMs,
                    Body = Encoding.UTF8.GetString(item.Envelope.BodyBuffer, item.Envelope.BodyOffset, item.Envelope.BodyCount),
                },
                batch.Transaction);
            item.Outcome = rows == 1 ? IngestOutcome.Stored : IngestOutcome.Duplicate;
        }
    }
}
