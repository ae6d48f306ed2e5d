namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// The ids a ledger search filters by, from the modules that own them (implemented above the
/// ledger, by <c>Reports/LedgerChains</c> through the seal register, the device registry, the
/// organisation and the applications' read APIs).
/// </summary>
public interface ILedgerChains
{
    /// <summary>
    /// The chains <paramref name="scope"/> may read, only those owned by <paramref name="unitId"/>'s
    /// subtree when given; null: every chain, registered or not.
    /// </summary>
    Task<IReadOnlyList<string>?> ChainsAsync(ILedgerScope scope, string? unitId, CancellationToken cancellationToken);

    /// <summary>The applications <paramref name="person"/> applied for: a person filter matches their entries as well as the person's own.</summary>
    Task<IReadOnlyList<string>> ApplicationsOfAsync(string person, CancellationToken cancellationToken);
}
