namespace SmartSeal.Cloud.Organisation;

/// <summary>A person as reports print them: login, display name, unit and post (<see cref="OrgDirectory.PeopleAsync"/>).</summary>
public sealed record PersonFacts(string Login, string DisplayName, string UnitId, string? Post);
