namespace SmartSeal.Cloud.Organisation;

/// <summary>Every admin change to units, users and roles goes into the ledger (<see cref="IAdminAuditTrail"/>), on the chain of the unit it concerns.</summary>
public static class OrgAudit
{
    public static string ChainOf(string unitId) => "org:" + unitId;
}
