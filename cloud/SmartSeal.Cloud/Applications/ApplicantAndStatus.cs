namespace SmartSeal.Cloud.Applications;

/// <summary>Who applied and where the application stands (<c>pending</c>, <c>approved</c>, ...: the stored kebab-case status).</summary>
public sealed record ApplicantAndStatus(string Applicant, string Status);
