using System.Data.Common;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Which chains a caller may read. The ledger stores chains by id (a seal, <c>device:{id}</c>,
/// <c>org:{unit}</c>) and knows neither units, the seal register nor applications, which sit above
/// it: the module that knows (<c>Reports/LedgerAudience</c>) turns the caller's units and a
/// search's unit and person filters into ids, and <see cref="LedgerReader"/> reads only
/// <c>ledger_entries</c> with them. Queries run on the reader's open connection.
/// </summary>
public interface ILedgerScope
{
    /// <summary>Every chain, with no lookup (sysadmins, the admin API key, the CLI).</summary>
    bool Everything { get; }

    /// <summary>
    /// The chains the caller may read, only those owned by <paramref name="unitId"/>'s subtree when
    /// given; null: every chain, registered or not.
    /// </summary>
    Task<IReadOnlyList<string>?> ChainsAsync(DbConnection connection, string? unitId, CancellationToken cancellationToken);

    /// <summary>The applications <paramref name="person"/> applied for: a person filter matches their entries as well as the person's own.</summary>
    Task<IReadOnlyList<string>> ApplicationsOfAsync(DbConnection connection, string person, CancellationToken cancellationToken);
}
