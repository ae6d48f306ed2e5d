namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Who reads the ledger: everything (sysadmins, the admin API key, the CLI) or the chains of some
/// organisation units. The ledger stores chains by id (a seal, <c>device:{id}</c>,
/// <c>org:{unit}</c>) and knows neither the seal register, devices' units nor applications, which
/// sit above it: <see cref="ILedgerChains"/> turns a scope into chain ids, and
/// <see cref="LedgerReader"/> reads only <c>ledger_entries</c> with them.
/// </summary>
public interface ILedgerScope
{
    /// <summary>Every chain, with no lookup.</summary>
    bool Everything { get; }

    /// <summary>The units (each with its subtree) whose chains the caller may read; ignored when <see cref="Everything"/>.</summary>
    IReadOnlyList<string> UnitIds { get; }
}
