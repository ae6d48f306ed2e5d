using System.Text;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Opens the batch transaction and records every trusted message with a seq exactly once:
/// <c>INSERT ... ON CONFLICT (device_id, seq) DO NOTHING RETURNING</c> decides between first delivery
/// (stored) and redelivery (duplicate), across retries and across cloud instances.
/// </summary>
public sealed class StoreHandler(Database database, DeviceRepository devices) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Store;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        batch.Connection = await database.OpenAsync(cancellationToken);
        batch.Transaction = await batch.Connection.BeginTransactionAsync(cancellationToken);
        batch.Dialect = database.Dialect;

        // Last seen (server time) for every device with a trusted message, first: it takes the
        // batch's device rows in one global order (see DeviceRepository.MarkSeenAsync).
        string[] heardFrom = batch.Items.Where(i => i.Outcome == IngestOutcome.Pending).Select(i => i.DeviceId!).ToArray();
        await devices.MarkSeenAsync(heardFrom, batch.ServerMs, batch.Connection, batch.Transaction);
        var records = new List<IngestItem>(batch.Items.Count);
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

            records.Add(item);
        }

        if (database.Dialect.PrefersPreparedRows)
        {
            await InsertPreparedAsync(records, batch, cancellationToken);
            return;
        }

        foreach (IngestItem[] chunk in records.Chunk(database.Dialect.RowsPerInsert(7)))
        {
            await InsertAsync(chunk, batch, cancellationToken);
        }
    }

    /// <summary>
    /// SQLite: one prepared single-row insert run per message (<see cref="PreparedRowStatement"/>);
    /// a row returned is a first delivery, none a redelivery (also a second copy inside this batch).
    /// </summary>
    private static async Task InsertPreparedAsync(List<IngestItem> records, IngestBatch batch, CancellationToken cancellationToken)
    {
        await using var insert = new PreparedRowStatement(
            batch.Connection!,
            batch.Transaction,
            "INSERT INTO device_messages (device_id, seq, type, topic, device_ms, server_ms, body) VALUES (@d,@s,@t,@p,@m,@now,@b) ON CONFLICT (device_id, seq) DO NOTHING RETURNING seq",
            ["d", "s", "t", "p", "m", "now", "b"]);
        insert.Set(5, batch.ServerMs);
        foreach (IngestItem item in records)
        {
            insert.Set(0, item.DeviceId);
            insert.Set(1, item.Envelope.Seq);
            insert.Set(2, item.Envelope.Type);
            insert.Set(3, item.Message.Topic);
            insert.Set(4, item.Envelope.Time);
            insert.Set(6, Encoding.UTF8.GetString(item.Envelope.BodyBuffer, item.Envelope.BodyOffset, item.Envelope.BodyCount));
            item.Outcome = await insert.RunAsync(cancellationToken) is null ? IngestOutcome.Duplicate : IngestOutcome.Stored;
        }
    }

    /// <summary>
    /// One multi-row <c>INSERT ... ON CONFLICT DO NOTHING RETURNING</c> per chunk (one round trip
    /// instead of one per message): the returned keys are the first deliveries; every other item,
    /// including a second copy of a key inside the same batch, is a redelivery.
    /// </summary>
    private static async Task InsertAsync(IngestItem[] chunk, IngestBatch batch, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO device_messages (device_id, seq, type, topic, device_ms, server_ms, body) VALUES ");
        var parameters = new DynamicParameters();
        for (int i = 0; i < chunk.Length; i++)
        {
            IngestItem item = chunk[i];
            sql.Append(i == 0 ? string.Empty : ",").Append($"(@d{i},@s{i},@t{i},@p{i},@m{i},@now,@b{i})");
            parameters.Add("d" + i, item.DeviceId);
            parameters.Add("s" + i, item.Envelope.Seq);
            parameters.Add("t" + i, item.Envelope.Type);
            parameters.Add("p" + i, item.Message.Topic);
            parameters.Add("m" + i, item.Envelope.Time);
            parameters.Add("b" + i, Encoding.UTF8.GetString(item.Envelope.BodyBuffer, item.Envelope.BodyOffset, item.Envelope.BodyCount));
        }

        parameters.Add("now", batch.ServerMs);
        sql.Append(" ON CONFLICT (device_id, seq) DO NOTHING RETURNING device_id, seq");
        var inserted = new HashSet<(string, long)>();
        foreach ((string device, long seq) in await batch.Connection!.QueryAsync<(string, long)>(new CommandDefinition(sql.ToString(), parameters, batch.Transaction, cancellationToken: cancellationToken)))
        {
            inserted.Add((device, seq));
        }

        foreach (IngestItem item in chunk)
        {
            // Remove: the first item with a key is the stored one, any later copy a duplicate.
            item.Outcome = inserted.Remove((item.DeviceId!, item.Envelope.Seq)) ? IngestOutcome.Stored : IngestOutcome.Duplicate;
        }
    }
}
