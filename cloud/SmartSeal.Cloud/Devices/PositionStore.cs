using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Where devices were (owner of <c>positions</c>): every reported fix is kept with device and
/// server time, and believable newer ones move the device's latest position.
/// </summary>
public sealed class PositionStore(Database database)
{
    /// <summary>
    /// Records an ingest batch's fixes in its transaction, in order: each becomes a row (once per
    /// device and seq), and one not flagged as future becomes the device's latest position unless
    /// the stored one is newer in device time (replayed old reports never move it back).
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<PositionFix> fixes, DbConnection connection, DbTransaction transaction)
    {
        foreach (PositionFix fix in fixes)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO positions (device_id, seq, device_ms, server_ms, lat_e7, lon_e7, accuracy_m, speed_cms, course_cdeg, moving, future)
                VALUES (@DeviceId, @Seq, @DeviceMs, @ServerMs, @LatE7, @LonE7, @AccuracyM, @SpeedCmS, @CourseCdeg, @Moving, @Future)
                ON CONFLICT (device_id, seq) DO NOTHING
                """,
                fix,
                transaction);
            if (!fix.Future)
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE devices SET last_fix_ms = @DeviceMs, last_lat_e7 = @LatE7, last_lon_e7 = @LonE7, last_accuracy_m = @AccuracyM
                    WHERE id = @DeviceId AND (last_fix_ms IS NULL OR last_fix_ms < @DeviceMs)
                    """,
                    fix,
                    transaction);
            }
        }
    }

    /// <summary>A device's positions since <paramref name="fromMs"/> (device time), oldest first, without fixes from the future.</summary>
    public async Task<IReadOnlyList<MapPoint>> TrackAsync(string deviceId, long fromMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        IEnumerable<(long LatE7, long LonE7, long DeviceMs, long AccuracyM)> rows = await connection.QueryAsync<(long, long, long, long)>(
            "SELECT lat_e7, lon_e7, device_ms, accuracy_m FROM positions WHERE device_id = @deviceId AND device_ms >= @fromMs AND future = FALSE ORDER BY device_ms LIMIT 5000",
            new { deviceId, fromMs });
        return rows.Select(r => new MapPoint(r.LatE7 / 1e7, r.LonE7 / 1e7, r.DeviceMs, (int)r.AccuracyM)).ToList();
    }
}
