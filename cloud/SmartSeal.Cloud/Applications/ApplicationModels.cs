namespace SmartSeal.Cloud.Applications;

public enum ApplicationMode
{
    /// <summary>Collect the seal from a cabinet and return it.</summary>
    Cabinet,

    /// <summary>Take the seal out in a portable lock.</summary>
    Lock,
}

public enum Urgency
{
    Normal,
    Urgent,
}

/// <summary>A document to be stamped: name, page count and its type ("contract", "invoice", …), which a seal's scope may restrict.</summary>
public sealed record ApplicationDocument(string Name, int Pages, string? Type = null);

public sealed record GeoPoint(double Lat, double Lon);

public sealed record GeoCircle(double Lat, double Lon, double RadiusM);

/// <summary>Where the seal may be used: a circle or a polygon (exactly one).</summary>
public sealed record LocationLimit(GeoCircle? Circle, GeoPoint[]? Polygon);

/// <summary>What the applicant asks for (also the body of a resubmission with changes).</summary>
public sealed record ApplicationRequest(
    string? SealId,
    string? Purpose,
    ApplicationDocument[]? Documents,
    int? Stamps,
    ApplicationMode? Mode,
    LocationLimit? Location,
    long? WindowFromMs,
    long? WindowToMs,
    Urgency? Urgency,
    string? Category = null,
    long? Amount = null,
    string? Authorisation = null);

/// <summary>
/// A validated application's content. <see cref="Category"/> (the purpose's category) and <see cref="Amount"/> (yuan) choose the
/// approval chain and are checked against the seal's scope; <see cref="Authorisation"/> names the authorisation document (授权文件)
/// that admits a use outside that scope.
/// </summary>
public sealed record ApplicationContent(string SealId, string Purpose, ApplicationDocument[] Documents, int Stamps, ApplicationMode Mode,
    LocationLimit? Location, long WindowFromMs, long WindowToMs, Urgency Urgency, string? Category = null, long? Amount = null, string? Authorisation = null);

/// <summary>A stored application with its approval state.</summary>
public sealed record ApplicationRecord(string Id, string Applicant, string ApplicantUnit, ApplicationContent Content, string Chain, ApprovalState State,
    long SubmittedMs, long? StepDueMs, long? DecidedMs, long? LeadTimeMs, long UpdatedMs);
