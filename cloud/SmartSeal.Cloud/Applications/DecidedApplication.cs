namespace SmartSeal.Cloud.Applications;

/// <summary>A decided application as reports count it: its seal, status (approved or rejected), decision time and lead time (<see cref="ApplicationDirectory.DecidedForSealsAsync"/>).</summary>
public sealed record DecidedApplication(string SealId, string Status, long DecidedMs, long LeadTimeMs);
