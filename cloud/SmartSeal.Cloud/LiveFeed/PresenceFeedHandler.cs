using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// After a batch with status messages commits, announces devices whose stored presence changed
/// (<c>presence</c> events). It reads the stored state rather than the message, because a late last
/// will is not applied (see PresenceHandler) and must not show a connected device as offline.
/// </summary>
public sealed class PresenceFeedHandler(Database database, LiveFeedHub hub, ILogger<PresenceFeedHandler> logger) : IIngestHandler
{
    private readonly ConcurrentDictionary<string, bool> _announced = new(StringComparer.Ordinal);

    public IngestStage Stage => IngestStage.AfterCommit;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        string[] devices = batch.Where(IngestOutcome.Presence).Select(i => i.DeviceId!).Distinct().ToArray();
        if (devices.Length == 0)
        {
            return;
        }

        try
        {
            await using DbConnection connection = await database.OpenAsync(cancellationToken);
            foreach (string id in devices)
            {
                // One query per device (a batch holds few status messages); portable, unlike IN with a list parameter.
                (bool Online, string? Reason)? state = await connection.QuerySingleOrDefaultAsync<(bool, string?)?>(
                    "SELECT online, status_reason FROM devices WHERE id = @id", new { id });
                if (state is not { } known || (_announced.TryGetValue(id, out bool previous) && previous == known.Online))
                {
                    continue;
                }

                _announced[id] = known.Online;
                hub.Publish("presence", id, new { DeviceId = id, known.Online, known.Reason, AtMs = batch.ServerMs });
            }
        }
        catch (DbException e)
        {
            // The batch is committed; a missed presence event must not make ingest retry it.
            logger.LogWarning(e, "Presence changes not announced on the live feed");
        }
    }
}
