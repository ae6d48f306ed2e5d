namespace SmartSeal.Cloud.Organisation;

/// <summary>An active user holding a post (职务) in a unit: approval chains name posts ("科长 of the applicant's unit").</summary>
public sealed record PostHolder(string Login, string Post, string UnitId);
