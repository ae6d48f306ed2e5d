namespace SmartSeal.Cloud.Organisation;

/// <summary>An active user with the path of their unit (<c>/hq/gd/</c>) and their post (职务), for checks on which line of the tree they stand.</summary>
public sealed record ActiveUser(string Login, string UnitId, string UnitPath, string? Post = null);
