namespace SmartSeal.Cloud.Organisation;

/// <summary>A unit of the organisation tree (HQ → province → city → county).</summary>
public sealed record OrgUnit(string Id, string? ParentId, string Path, string NameZh, string? NameEn);

/// <summary>A person who signs in (no password hash here: it never leaves <see cref="AuthService"/>).</summary>
public sealed record UserAccount(string Login, string DisplayName, string UnitId, string? Post, bool Active);

/// <summary>A role held on a unit; it applies to the unit's sub-units too.</summary>
public sealed record RoleAssignment(string Login, string Role, string UnitId);

/// <summary>Approval rights lent from one user to another for a period.</summary>
public sealed record Delegation(long Id, string FromLogin, string ToLogin, string? UnitId, long StartsMs, long EndsMs, string? Reason, long? RevokedMs);
