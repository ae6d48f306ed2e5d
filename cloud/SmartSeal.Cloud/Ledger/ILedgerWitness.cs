namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// An append-only store outside the database that keeps every checkpoint with its timestamp:
/// a name, once written, is never overwritten, so an attacker who controls the database cannot
/// take back what the ledger already stated.
/// </summary>
public interface ILedgerWitness
{
    /// <summary>Where the witness is, for logs (no secrets).</summary>
    string Describe();

    /// <summary>Writes <paramref name="content"/> under a new name, all or nothing; false (and nothing changed) when the name exists.</summary>
    Task<bool> TryAddAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Every name written, in ordinal order.</summary>
    Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken);

    /// <summary>The bytes under a name, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken);
}
