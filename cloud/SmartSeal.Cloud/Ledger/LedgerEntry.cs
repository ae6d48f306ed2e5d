namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// One record of the use ledger as it is appended: who used which seal on what, where and when,
/// with the evidence (photos, verdicts) referenced. <see cref="Fields"/> carries the
/// kind-specific details; everything here is covered by the entry's hash.
/// </summary>
public sealed record LedgerEntry
{
    public required string SealId { get; init; }

    public required string Kind { get; init; }

    public required long AtMs { get; init; }

    public string? DeviceId { get; init; }

    public string? Actor { get; init; }

    public string? ApplicationId { get; init; }

    public string? TokenId { get; init; }

    /// <summary>What produced it ("evt:{device}:{seq}", "api:{id}"); appending the same source twice is a no-op.</summary>
    public string? Source { get; init; }

    /// <summary>Kind-specific fields (document, page, copies, photo hashes, location, reason...), sorted by name when hashed.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

/// <summary>A ledger row as stored, with its place in the chain.</summary>
public sealed record StoredLedgerEntry(long Id, string SealId, long Seq, string Kind, long AtMs, long RecordedMs, string? DeviceId, string? Actor,
    string? ApplicationId, string? TokenId, string? Source, string Payload, string PrevHash, string Hash);

public static class LedgerKinds
{
    public const string Stamp = "stamp";
    public const string Unlock = "unlock";
    public const string Refusal = "refusal";
    public const string Dispense = "dispense";
    public const string Return = "return";
    public const string WrongSeal = "wrong-seal";
    public const string SealRemoved = "seal-removed";
    public const string Custody = "custody";
    public const string Admin = "admin";
}
