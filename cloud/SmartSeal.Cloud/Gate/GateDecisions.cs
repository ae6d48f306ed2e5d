using System.Data.Common;
using SmartSeal.Cloud.Checkouts;

namespace SmartSeal.Cloud.Gate;

/// <summary>The gate's answer to Checkouts: the decision a gate-issued cabinet token ("gate:{id}:{seq}") was minted for.</summary>
public sealed class GateDecisions : IGateDecisions
{
    public async Task<GateSighting?> BehindTokenAsync(string issuedBy, DbConnection connection, DbTransaction? transaction)
    {
        if (!GateDispatcher.TryParseIssuer(issuedBy, out string gateId, out long seq)
            || await GateStore.FindDecisionAsync(gateId, seq, connection, transaction) is not { } decision)
        {
            return null;
        }

        return new GateSighting(gateId, seq, decision.Subject, decision.Score, decision.Liveness, decision.PhotoId);
    }
}
