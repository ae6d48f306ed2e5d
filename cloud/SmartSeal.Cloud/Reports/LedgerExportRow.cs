namespace SmartSeal.Cloud.Reports;

/// <summary>
/// One ledger entry as printed in the 用印台账: the entry itself plus what seal-management rules
/// ask for around it (applicant with unit and post; documents, purpose, copies; application,
/// approval and execution times; approvers; executor; device; location; photos; the entry hash).
/// </summary>
public sealed record LedgerExportRow(
    long EntryId,
    string SealId,
    string? SealName,
    long Seq,
    string Kind,
    long ExecutedMs,
    long RecordedMs,
    string? ApplicationId,
    string? ApplicantName,
    string? ApplicantUnit,
    string? ApplicantPost,
    string? Documents,
    string? Purpose,
    int? Copies,
    long? AppliedMs,
    long? ApprovedMs,
    string? Approvers,
    string? Executor,
    string? DeviceId,
    string? Location,
    IReadOnlyList<ExportPhoto> Photos,
    string Details,
    string Hash);

/// <summary>
/// A photo an entry refers to: its SHA-256 once the photo is in the store, else only the device's
/// photo id (the upload has not completed).
/// </summary>
public sealed record ExportPhoto(string? Sha256, string? DeviceId, string? PhotoId, string? Purpose)
{
    public string Reference => Sha256 ?? $"{DeviceId}/{PhotoId} (not stored)";
}
