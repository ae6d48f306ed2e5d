using System.Data.Common;

namespace SmartSeal.Cloud.Organisation;

/// <summary>
/// Where admin actions are recorded (kind <c>admin</c>, field <c>action</c>, with who did it), in the
/// caller's transaction so the change and its record commit together. Organisation defines it and
/// the ledger, which sits above, implements it (<c>Ledger/AdminAuditTrail</c>).
/// </summary>
public interface IAdminAuditTrail
{
    /// <summary>An action on units, users, roles and what a unit owns, on the unit's chain <c>org:{unit}</c>.</summary>
    Task UnitActionAsync(DbConnection connection, DbTransaction transaction, string unitId, string actor, long atMs, string action,
        Dictionary<string, string> fields, CancellationToken cancellationToken = default);

    /// <summary>An action on a device (key rotation, retirement), on the device's chain <c>device:{id}</c>.</summary>
    Task DeviceActionAsync(DbConnection connection, DbTransaction transaction, string deviceId, string actor, long atMs, string action,
        Dictionary<string, string> fields, CancellationToken cancellationToken = default);
}
