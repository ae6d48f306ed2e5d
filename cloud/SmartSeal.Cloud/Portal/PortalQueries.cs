using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Portal;

/// <summary>A seal an applicant may apply for.</summary>
public sealed record ApplicableSeal(string Id, string Name, string Type, string UnitId);

/// <summary>A lock's track point for the map (degrees).</summary>
public sealed record MapPoint(double Lat, double Lon, long DeviceMs, int AccuracyM);

/// <summary>The geofence a lock works under now: the location limit of the newest approved lock application for the seal inside it.</summary>
public sealed record MapFence(string SealId, string ApplicationId, LocationLimit Limit);

/// <summary>Reads only the portal needs, in shapes the pages show (everything else goes through the domain services).</summary>
public sealed class PortalQueries(Database database)
{
    /// <summary>In-use seals of the user's own unit, its ancestors and its sub-units: the ones an application may name.</summary>
    public async Task<IReadOnlyList<ApplicableSeal>> ApplicableSealsAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ApplicableSeal>(
            $"""
            SELECT s.id AS Id, s.name AS Name, s.type AS Type, s.unit_id AS UnitId
            FROM seals s JOIN org_units o ON o.id = s.unit_id, users u JOIN org_units uo ON uo.id = u.unit_id
            WHERE u.login = @login AND s.state = 'in-use' AND {UnitSubtree.SameLine("o", "uo")}
            ORDER BY o.path, s.name LIMIT 500
            """,
            new { login })).ToList();
    }

    /// <summary>Alarms of the devices in <paramref name="scope"/>: active first, then the most recently raised; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AlarmRecord>> AlarmsAsync(UnitScope scope, int limit, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(new { limit });
        string within = DevicesInScope.Condition(scope, parameters, "device_id");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AlarmRecord>(
            $"SELECT {AlarmRecord.Columns} FROM alarms WHERE {within} ORDER BY active DESC, raised_ms DESC, id DESC LIMIT @limit", parameters)).ToList();
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

    /// <summary>The fence of the seal held by a lock (register location "lock" = this device), if an approved lock application gives one.</summary>
    public async Task<MapFence?> FenceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        (string? SealId, string? ApplicationId, string? Location) row = await connection.QueryFirstOrDefaultAsync<(string?, string?, string?)>(
            """
            SELECT a.seal_id, a.id, a.location FROM applications a JOIN seals s ON s.id = a.seal_id
            WHERE s.location_kind = 'lock' AND s.location_ref = @deviceId AND a.status = 'approved' AND a.mode = 'lock' AND a.location IS NOT NULL
            ORDER BY a.decided_ms DESC LIMIT 1
            """,
            new { deviceId });
        return row.Location is null ? null : new MapFence(row.SealId!, row.ApplicationId!, ApplicationJson.Read<LocationLimit>(row.Location));
    }
}
