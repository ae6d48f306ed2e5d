using System.Data.Common;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Organisation;

/// <summary>Every admin change to units, users and roles goes into the ledger, on the chain of the unit it concerns.</summary>
public static class OrgAudit
{
    public static string ChainOf(string unitId) => "org:" + unitId;

    public static Task AppendAsync(LedgerService ledger, DbConnection connection, DbTransaction transaction, string unitId, string actor, long nowMs,
        string action, Dictionary<string, string> fields)
    {
        fields["action"] = action;
        var entry = new LedgerEntry { SealId = ChainOf(unitId), Kind = LedgerKinds.Admin, AtMs = nowMs, Actor = actor, Fields = fields };
        return ledger.AppendAsync([entry], connection, transaction);
    }
}
