namespace SmartSeal.Cloud.Checkouts;

/// <summary>A lock's use token as the document check needs it: its id and the application it was issued for.</summary>
public sealed record LockToken(string Jti, string ApplicationId);
