namespace SmartSeal.Cloud.Seals;

/// <summary>What the orchestration needs to know about a seal: its state, tag, custodian and where it is now (<see cref="SealDirectory.FactsAsync"/>).</summary>
public sealed record SealFacts(string Id, string Name, string State, string? RfidTag, string? Custodian, string LocationKind, string? LocationRef, long LocationMs);
