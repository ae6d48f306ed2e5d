namespace SmartSeal.Cloud.Organisation;

/// <summary>Approval rights lent to someone now: from whom, and for which unit (null: all of the delegator's units).</summary>
public sealed record DelegationInForce(string FromLogin, string? UnitId);
