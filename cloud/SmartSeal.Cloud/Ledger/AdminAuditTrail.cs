using System.Data.Common;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Ledger;

/// <summary>Admin actions as ledger entries of kind <c>admin</c>: the given fields plus <c>action</c>, on the unit's or the device's chain.</summary>
public sealed class AdminAuditTrail(LedgerService ledger) : IAdminAuditTrail
{
    public Task UnitActionAsync(DbConnection connection, DbTransaction transaction, string unitId, string actor, long atMs, string action,
        Dictionary<string, string> fields, CancellationToken cancellationToken = default) =>
        ledger.AppendAsync([new LedgerEntry { SealId = OrgAudit.ChainOf(unitId), Kind = LedgerKinds.Admin, AtMs = atMs, Actor = actor, Fields = WithAction(fields, action) }],
            connection, transaction, cancellationToken);

    public Task DeviceActionAsync(DbConnection connection, DbTransaction transaction, string deviceId, string actor, long atMs, string action,
        Dictionary<string, string> fields, CancellationToken cancellationToken = default) =>
        ledger.AppendAsync([new LedgerEntry { SealId = DeviceAudit.ChainOf(deviceId), Kind = LedgerKinds.Admin, AtMs = atMs, DeviceId = deviceId, Actor = actor, Fields = WithAction(fields, action) }],
            connection, transaction, cancellationToken);

    private static Dictionary<string, string> WithAction(Dictionary<string, string> fields, string action)
    {
        fields["action"] = action;
        return fields;
    }
}
