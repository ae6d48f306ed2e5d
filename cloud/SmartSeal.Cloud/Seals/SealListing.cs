namespace SmartSeal.Cloud.Seals;

/// <summary>A seal as a chooser lists it: id, name, type (as stored) and unit.</summary>
public sealed record SealListing(string Id, string Name, string Type, string UnitId);
