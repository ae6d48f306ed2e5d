using Dapper;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Tracks: every position report becomes a row with device time and server time. A fix dated
/// more than <see cref="FutureToleranceMs"/> ahead of the server clock is kept (evidence) but
/// flagged and never becomes the device's latest position; otherwise the latest position only
/// moves forward in device time (replayed old reports never move it back).
/// </summary>
public sealed class PositionHandler : IIngestHandler
{
    public const long FutureToleranceMs = 5 * 60 * 1000;

    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, GeoFix fix, bool moving) in Fixes(batch))
        {
            long deviceMs = fix.TimeMs > 0 ? fix.TimeMs : item.Envelope.Time;
            bool future = deviceMs > batch.ServerMs + FutureToleranceMs;
            await batch.Connection!.ExecuteAsync(
                """
                INSERT INTO positions (device_id, seq, device_ms, server_ms, lat_e7, lon_e7, accuracy_m, speed_cms, course_cdeg, moving, future)
                VALUES (@DeviceId, @Seq, @DeviceMs, @ServerMs, @Lat, @Lon, @Accuracy, @Speed, @Course, @Moving, @Future)
                ON CONFLICT (device_id, seq) DO NOTHING
                """,
                new
                {
                    item.DeviceId, item.Envelope.Seq, DeviceMs = deviceMs, batch.ServerMs, Lat = fix.LatE7, Lon = fix.LonE7,
                    Accuracy = fix.AccuracyCm / 100, Speed = fix.SpeedCmS, Course = fix.CourseCdeg, Moving = moving, Future = future,
                },
                batch.Transaction);
            if (!future)
            {
                await batch.Connection!.ExecuteAsync(
                    """
                    UPDATE devices SET last_fix_ms = @DeviceMs, last_lat_e7 = @Lat, last_lon_e7 = @Lon, last_accuracy_m = @Accuracy
                    WHERE id = @DeviceId AND (last_fix_ms IS NULL OR last_fix_ms < @DeviceMs)
                    """,
                    new { item.DeviceId, DeviceMs = deviceMs, Lat = fix.LatE7, Lon = fix.LonE7, Accuracy = fix.AccuracyCm / 100 },
                    batch.Transaction);
            }
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
