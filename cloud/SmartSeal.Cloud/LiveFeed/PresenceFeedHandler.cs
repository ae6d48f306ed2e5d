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
public sealed class PresenceFeedHandler(Database database, LiveFeedHub hub) : IIngestHandler
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

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var states = await connection.QueryAsync<(string Id, bool Online, string? Reason)>(
            "SELECT id, online, status_reason FROM devices WHERE id IN @devices", new { devices });
        foreach ((string id, bool online, string? reason) in states)
        {
            if (_announced.TryGetValue(id, out bool previous) && previous == online)
            {
                continue;
            }

            _announced[id] = online;
            hub.Publish("presence", id, new { DeviceId = id, Online = online, Reason = reason, AtMs = batch.ServerMs });
        }
    }
}
