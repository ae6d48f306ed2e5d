using System.Collections.Concurrent;
using System.Data.Common;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// After a batch with status messages commits, announces devices whose stored presence changed
/// (<c>presence</c> events). It reads the stored state rather than the message, because a late last
/// will is not applied (see PresenceHandler) and must not show a connected device as offline.
/// </summary>
public sealed class PresenceFeedHandler(DeviceRepository devices, LiveFeedHub hub, ILogger<PresenceFeedHandler> logger) : IIngestHandler
{
    private readonly ConcurrentDictionary<string, bool> _announced = new(StringComparer.Ordinal);

    public IngestStage Stage => IngestStage.AfterCommit;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        string[] ids = batch.Where(IngestOutcome.Presence).Select(i => i.DeviceId!).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        try
        {
            Dictionary<string, DevicePresence> stored = (await devices.PresenceAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (string id in ids)
            {
                if (!stored.TryGetValue(id, out DevicePresence? known) || (_announced.TryGetValue(id, out bool previous) && previous == known.Online))
                {
                    continue;
                }

                _announced[id] = known.Online;
                hub.Publish("presence", id, new { DeviceId = id, known.Online, Reason = known.StatusReason, AtMs = batch.ServerMs });
            }
        }
        catch (DbException e)
        {
            // The batch is committed; a missed presence event must not make ingest retry it.
            logger.LogWarning(e, "Presence changes not announced on the live feed");
        }
    }
}
