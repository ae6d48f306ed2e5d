namespace SmartSeal.Cloud.Seals;

/// <summary>A started inventory check as a list shows it (the keeper's inventory page).</summary>
public sealed record InventoryCheckSummary(long Id, string UnitId, string StartedBy, long StartedMs, string? ClosedBy, long? ClosedMs);
