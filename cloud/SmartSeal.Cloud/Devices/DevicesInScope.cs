using Dapper;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Devices;

/// <summary>SQL for tables keyed by device id (alarms...): rows of devices assigned to the scope's units (all rows for sysadmins).</summary>
public static class DevicesInScope
{
    public static string Condition(UnitScope scope, DynamicParameters parameters, string deviceIdColumn) =>
        scope.Everything ? "TRUE" : $"{deviceIdColumn} IN (SELECT d.id FROM devices d WHERE {UnitSubtree.IdWithinAny(parameters, "scope", "d.org_unit", scope.Roots)})";
}
