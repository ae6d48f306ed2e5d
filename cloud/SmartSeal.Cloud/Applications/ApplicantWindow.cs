namespace SmartSeal.Cloud.Applications;

/// <summary>An applicant and the end of an approved application's window (the gate keeps their templates until then).</summary>
public sealed record ApplicantWindow(string Applicant, long WindowToMs);
