using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// A photo (by SHA-256) belongs to the unit of the device that sent it first; a stored photo no
/// device refers to is for sysadmins only.
/// </summary>
public sealed class PhotoUnits(Database database, DeviceUnits devices) : IObjectUnits
{
    public ObjectKind Kind => ObjectKind.Photo;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken)
    {
        string hash = id.ToLowerInvariant();
        if (!PhotoHash.IsValid(hash))
        {
            return ObjectUnit.Malformed;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM photos WHERE sha256 = @hash", new { hash }) == 0)
        {
            return null;
        }

        string? deviceId = await connection.QueryFirstOrDefaultAsync<string>("SELECT device_id FROM photo_refs WHERE sha256 = @hash ORDER BY server_ms LIMIT 1", new { hash });
        return deviceId is null ? new ObjectUnit(null) : await devices.FindAsync(deviceId, cancellationToken) ?? new ObjectUnit(null);
    }
}
