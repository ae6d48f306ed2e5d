namespace SmartSeal.Cloud.Ledger;

/// <summary>A stamp or a refusal a device recorded in the ledger with the position it reported (degrees; the map replays them).</summary>
public sealed record LocatedEvent(string Kind, double Lat, double Lon, long AtMs, string SealId);
