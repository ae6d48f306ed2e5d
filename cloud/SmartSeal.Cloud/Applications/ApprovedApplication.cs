namespace SmartSeal.Cloud.Applications;

/// <summary>An approved application as the seal board reads it (<see cref="ApplicationDirectory.ApprovedForSealsAsync"/>).</summary>
public sealed record ApprovedApplication(string Id, string SealId, string Applicant, long WindowToMs, long? DecidedMs);
