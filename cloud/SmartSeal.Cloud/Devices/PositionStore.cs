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
    public async Task AppendAsync(IReadOnlyList<PositionFix> fixes, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        // All rows in a few statements (two round trips per fix made positions the slowest event on PostgreSQL).
        await RowInserts.InsertAsync(connection, transaction, database.Dialect, "INSERT INTO positions", Columns, "ON CONFLICT (device_id, seq) DO NOTHING", fixes, cancellationToken);

        // The latest position moves once per device, to its newest believable fix of the batch
        // (the first of equal times): the state that updating fix after fix in order ended in.
        var newest = new Dictionary<string, PositionFix>(StringComparer.Ordinal);
        foreach (PositionFix fix in fixes)
        {
            if (!fix.Future && (!newest.TryGetValue(fix.DeviceId, out PositionFix? known) || fix.DeviceMs > known.DeviceMs))
            {
                newest[fix.DeviceId] = fix;
            }
        }

        if (database.Dialect.PrefersPreparedRows)
        {
            await using var update = new PreparedRowStatement(connection, transaction, """
                UPDATE devices SET last_fix_ms = @m, last_lat_e7 = @lat, last_lon_e7 = @lon, last_accuracy_m = @acc
                WHERE id = @id AND (last_fix_ms IS NULL OR last_fix_ms < @m)
                """, ["m", "lat", "lon", "acc", "id"]);
            foreach (PositionFix fix in newest.Values)
            {
                update.Set(0, fix.DeviceMs);
                update.Set(1, fix.LatE7);
                update.Set(2, fix.LonE7);
                update.Set(3, fix.AccuracyM);
                update.Set(4, fix.DeviceId);
                await update.RunAsync(cancellationToken);
            }

            return;
        }

        foreach (PositionFix[] chunk in newest.Values.Chunk(database.Dialect.RowsPerInsert(5)))
        {
            var parameters = new DynamicParameters();
            string values = string.Join(",", chunk.Select((f, n) =>
            {
                parameters.Add("id" + n, f.DeviceId);
                parameters.Add("m" + n, f.DeviceMs);
                parameters.Add("lat" + n, f.LatE7);
                parameters.Add("lon" + n, f.LonE7);
                parameters.Add("acc" + n, f.AccuracyM);
                return $"(@id{n}, @m{n}, @lat{n}, @lon{n}, @acc{n})";
            }));
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE devices AS d SET last_fix_ms = v.m, last_lat_e7 = v.lat, last_lon_e7 = v.lon, last_accuracy_m = v.acc
                FROM (VALUES {values}) AS v(id, m, lat, lon, acc)
                WHERE d.id = v.id AND (d.last_fix_ms IS NULL OR d.last_fix_ms < v.m)
                """,
                parameters,
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static readonly (string Column, Func<PositionFix, object?> Value)[] Columns =
    [
        ("device_id", f => f.DeviceId),
        ("seq", f => f.Seq),
        ("device_ms", f => f.DeviceMs),
        ("server_ms", f => f.ServerMs),
        ("lat_e7", f => f.LatE7),
        ("lon_e7", f => f.LonE7),
        ("accuracy_m", f => f.AccuracyM),
        ("speed_cms", f => f.SpeedCmS),
        ("course_cdeg", f => f.CourseCdeg),
        ("moving", f => f.Moving),
        ("future", f => f.Future),
    ];

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
