using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Tracks: every position report becomes a row with device time and server time. A fix dated
/// more than <see cref="FutureToleranceMs"/> ahead of the server clock is kept (evidence) but
/// flagged and never becomes the device's latest position; otherwise the latest position only
/// moves forward in device time (replayed old reports never move it back). Written by
/// <see cref="PositionStore"/> in the batch transaction.
/// </summary>
public sealed class PositionHandler(PositionStore positions) : IIngestHandler
{
    public const long FutureToleranceMs = 5 * 60 * 1000;

    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var fixes = new List<PositionFix>();
        foreach ((IngestItem item, GeoFix fix, bool moving) in Fixes(batch))
        {
            long deviceMs = fix.TimeMs > 0 ? fix.TimeMs : item.Envelope.Time;
            bool future = deviceMs > batch.ServerMs + FutureToleranceMs;
            fixes.Add(new PositionFix(
                item.DeviceId!, item.Envelope.Seq, deviceMs, batch.ServerMs, fix.LatE7, fix.LonE7, fix.AccuracyCm / 100, fix.SpeedCmS, fix.CourseCdeg, moving, future));
        }

        if (fixes.Count > 0)
        {
            await positions.AppendAsync(fixes, batch.Connection!, batch.Transaction!, cancellationToken);
        }
    }

    /// <summary>Position reports, and the fixes stamp events carry (they are points of the track too).</summary>
    private static IEnumerable<(IngestItem, GeoFix, bool)> Fixes(IngestBatch batch)
    {
        foreach ((IngestItem item, PositionBody body) in batch.Stored<PositionBody>())
        {
            if (body.Fix != null)
            {
                yield return (item, body.Fix, body.Moving);
            }
        }
    }
}
