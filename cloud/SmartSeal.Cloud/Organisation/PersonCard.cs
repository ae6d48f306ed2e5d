namespace SmartSeal.Cloud.Organisation;

/// <summary>A person as records and reports print them beside their login: display name, post, unit and the unit's name.</summary>
public sealed record PersonCard(string Login, string Name, string? Post, string UnitId, string Unit);
