using System.Data.Common;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// The face-gate decision behind a cabinet token, so the dispense's ledger entry says whom the gate
/// saw. Checkouts defines it and the gate implements it: the gate sits above Checkouts (it asks for
/// dispenses), so Checkouts may not read the gate's decisions itself.
/// </summary>
public interface IGateDecisions
{
    /// <summary>
    /// The decision a token with this issuer was minted for, as the caller's transaction sees it;
    /// null when the token was not issued for a gate or the gate's decision is unknown.
    /// </summary>
    Task<GateSighting?> BehindTokenAsync(string issuedBy, DbConnection connection, DbTransaction? transaction);
}
