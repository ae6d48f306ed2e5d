namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// What the caller must hold on the object's unit (or an ancestor of it). Sysadmins (and the admin
/// API key) hold every right everywhere.
/// </summary>
public enum UnitRight
{
    /// <summary>Any role on the unit (the seal board, seals).</summary>
    See,

    /// <summary>Auditor or keeper: read devices' records, photos, the ledger.</summary>
    Audit,

    /// <summary>Keeper: control devices, send commands, act on checkouts, alarms and seals.</summary>
    Keep,
}
